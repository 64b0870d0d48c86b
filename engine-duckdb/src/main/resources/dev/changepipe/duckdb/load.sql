INSERT INTO {{raw}}
SELECT {{raw_columns}}, :file_id, :file, _line, :ingested_at
FROM cp_stage;

INSERT INTO {{rejects}}
SELECT :file_id, :file, _line, :ingested_at, column_name, reason, raw_text
FROM cp_stage_rejects;
