-- Seeds the built-in customer pipeline's tables as if 3 * :keys changes had been loaded and applied: every
-- key k in 1..:keys has versions v = 0, 1 and 2, a day apart, so the history has 3 * :keys rows and the
-- current table :keys. Rows are in arrival order: version by version, and within a version in a scattered
-- key order (k = 1 + p * :stride mod :keys, a bijection when :stride is a prime above :keys' factors), as
-- files of many customers would bring them. Files hold :rows_per_file changes each.
CREATE OR REPLACE TEMP MACRO seed_change(keys, stride, rows_per_file) AS TABLE
SELECT v, k, 1 + i // rows_per_file AS file_id, 2 + i % rows_per_file AS line,
       1 + ((v + 1) * keys + p) // rows_per_file AS next_file_id,
       'First' || (k % 997) AS first_name,
       'Last' || ((k + v) % 1009) AS last_name,
       'customer' || k || '.v' || v || '@example.com' AS email,
       ((k * 7 + v) % 9973) || ' Main Street' AS street,
       'City ' || ((k + 3 * v) % 701) AS city,
       'State ' || (k % 50) AS state,
       'Country ' || (k % 193) AS country,
       TIMESTAMP '2025-01-01 00:00:00' + to_days(v::INTEGER) + to_microseconds(k) AS ts,
       CASE WHEN v < 2 THEN TIMESTAMP '2025-01-01 00:00:00' + to_days((v + 1)::INTEGER) + to_microseconds(k) END AS next_ts,
       CASE v WHEN 0 THEN 'I' ELSE 'U' END AS op
FROM (SELECT range AS i, range // keys AS v, range % keys AS p, 1 + (range % keys) * stride % keys AS k
      FROM range(3 * keys));

INSERT INTO customer_raw
SELECT k, first_name, last_name, email, street, city, state, country, ts, op,
       file_id, 'customer_seed_' || file_id || '.csv', line, TIMESTAMPTZ '2025-01-04 00:00:00+00' + to_seconds(file_id),
       NULL
FROM seed_change(:keys, :stride, :rows_per_file);

INSERT INTO changepipe.files
    (pipeline, file_id, name, path, size, content_hash, last_modified, status, rows_loaded, rows_rejected,
     first_error, ingested_at, version, original_file_id)
SELECT :pipeline, _file_id, any_value(_file), 'seed', 100 * count(*), 'seed-' || _file_id,
       TIMESTAMPTZ '2025-01-04 00:00:00+00', 'loaded', count(*), 0, NULL, any_value(_ingested_at), 1, NULL
FROM customer_raw GROUP BY _file_id ORDER BY _file_id;

INSERT INTO customer
SELECT k, first_name, last_name, email, street, city, state, country, ts
FROM seed_change(:keys, :stride, :rows_per_file) WHERE v = 2;

INSERT INTO customer_history
SELECT k, first_name, last_name, email, street, city, state, country, ts, ts, next_ts, next_ts IS NULL
FROM seed_change(:keys, :stride, :rows_per_file);

-- The change feed those changes would have written: an insert, then a pre- and post-image per update.
INSERT INTO customer_changes
SELECT file_id, TIMESTAMPTZ '2025-01-04 00:00:00+00' + to_seconds(file_id),
       CASE v WHEN 0 THEN 'insert' ELSE 'update_postimage' END,
       k, first_name, last_name, email, street, city, state, country, ts
FROM seed_change(:keys, :stride, :rows_per_file)
UNION ALL
SELECT next_file_id, TIMESTAMPTZ '2025-01-04 00:00:00+00' + to_seconds(next_file_id), 'update_preimage',
       k, first_name, last_name, email, street, city, state, country, ts
FROM seed_change(:keys, :stride, :rows_per_file) WHERE v < 2;

-- Both tasks have consumed every seeded file: the next batch is their only new input.
UPDATE changepipe.offsets SET committed = (SELECT max(file_id) FROM changepipe.files WHERE pipeline = :pipeline)
WHERE pipeline = :pipeline AND consumer IN ('raw->current', 'raw->history');

CHECKPOINT;
