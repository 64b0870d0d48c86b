-- Seeds the file ledger of the built-in customer pipeline with :files entries of loaded files, as a
-- pipeline that has taken a file a minute for years would have: distinct names of the generator's
-- shape, a content hash each, ingestion times a minute apart. Their rows are not in the raw table;
-- the scenario measures the ledger's part of a load only.
INSERT INTO changepipe.files
    (pipeline, file_id, name, path, size, content_hash, last_modified, status, rows_loaded, rows_rejected,
     first_error, ingested_at, version, original_file_id, etag)
SELECT :pipeline, i, 'seeded_' || lpad(i::VARCHAR, 10, '0') || '.csv', 'landing/seeded_' || i || '.csv',
       1000 + i % 977, sha256(i::VARCHAR), TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_minutes(i),
       'loaded', 1000, 0, NULL, TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_minutes(i), 1, NULL, NULL
FROM range(1, :files + 1) t(i);
