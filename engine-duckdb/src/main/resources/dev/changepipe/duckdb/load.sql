-- The ledger rows of the load are written first, in the same transaction: they give each staged
-- row its file name and ingestion time. Columns are named: a column a file added (rule 1.10) is the table's last.
INSERT INTO {{raw}} ({{raw_columns}}, _file_id, _file, _line, _ingested_at, _rescued)
SELECT {{s_raw_columns}}, s._file_id, f.name, s._line, f.ingested_at, s._rescued
FROM cp_stage s JOIN changepipe.files f ON f.pipeline = :pipeline AND f.file_id = s._file_id;

INSERT INTO {{rejects}}
SELECT s._file_id, f.name, s._line, f.ingested_at, s.column_name, s.reason, s.raw_text
FROM cp_stage_rejects s JOIN changepipe.files f ON f.pipeline = :pipeline AND f.file_id = s._file_id;
