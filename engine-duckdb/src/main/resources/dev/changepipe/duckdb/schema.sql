-- changepipe's own bookkeeping, shared by the pipelines of one warehouse.
CREATE SCHEMA IF NOT EXISTS changepipe;

CREATE TABLE IF NOT EXISTS changepipe.files (
    pipeline         VARCHAR NOT NULL,
    file_id          BIGINT NOT NULL,
    name             VARCHAR NOT NULL,
    path             VARCHAR NOT NULL,
    size             BIGINT NOT NULL,
    content_hash     VARCHAR NOT NULL,
    last_modified    TIMESTAMPTZ NOT NULL,
    status           VARCHAR NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_rejected    BIGINT NOT NULL,
    first_error      VARCHAR,
    ingested_at      TIMESTAMPTZ NOT NULL,
    version          INTEGER NOT NULL,
    original_file_id BIGINT,
    etag             VARCHAR,
    check_failures   VARCHAR,
    header_drift     VARCHAR
);
-- Warehouses made before the ledger kept the ETag of an object from a bucket.
ALTER TABLE changepipe.files ADD COLUMN IF NOT EXISTS etag VARCHAR;
-- Warehouses made before quality checks: the rows of a file that failed each check, as JSON text.
ALTER TABLE changepipe.files ADD COLUMN IF NOT EXISTS check_failures VARCHAR;
-- Warehouses made before schema policies: the columns a file's header added or lacked, as JSON text.
ALTER TABLE changepipe.files ADD COLUMN IF NOT EXISTS header_drift VARCHAR;

CREATE TABLE IF NOT EXISTS changepipe.offsets (
    pipeline     VARCHAR NOT NULL,
    consumer     VARCHAR NOT NULL,
    committed    BIGINT NOT NULL,
    committed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS changepipe.task_history (
    pipeline VARCHAR NOT NULL,
    task     VARCHAR NOT NULL,
    started  TIMESTAMPTZ NOT NULL,
    ended    TIMESTAMPTZ NOT NULL,
    rows_in  BIGINT NOT NULL,
    rows_out BIGINT NOT NULL,
    attempt  INTEGER NOT NULL,
    status   VARCHAR NOT NULL,
    error    VARCHAR,
    check_failures VARCHAR
);
-- Warehouses made before quality checks: an ingest run's rows that failed each check, as JSON text.
ALTER TABLE changepipe.task_history ADD COLUMN IF NOT EXISTS check_failures VARCHAR;

-- The pipeline's tables.
CREATE TABLE IF NOT EXISTS {{raw}} (
    {{raw_column_definitions}},
    _file_id     BIGINT NOT NULL,
    _file        VARCHAR NOT NULL,
    _line        BIGINT NOT NULL,
    _ingested_at TIMESTAMPTZ NOT NULL,
    _rescued     VARCHAR
);
-- Raw tables made before schema policies gain the column for the values of columns the spec lacks (rule 1.8).
ALTER TABLE {{raw}} ADD COLUMN IF NOT EXISTS _rescued VARCHAR;

CREATE TABLE IF NOT EXISTS {{rejects}} (
    _file_id     BIGINT NOT NULL,
    _file        VARCHAR NOT NULL,
    _line        BIGINT,
    _ingested_at TIMESTAMPTZ NOT NULL,
    column_name  VARCHAR,
    reason       VARCHAR NOT NULL,
    raw_text     VARCHAR
);

CREATE TABLE IF NOT EXISTS {{current}} (
    {{target_column_definitions}}
);

CREATE TABLE IF NOT EXISTS {{changes}} (
    _commit_version   BIGINT NOT NULL,
    _commit_timestamp TIMESTAMPTZ NOT NULL,
    _change_type      VARCHAR NOT NULL,
    {{target_column_definitions}}
);

CREATE TABLE IF NOT EXISTS {{history}} (
    {{target_column_definitions}},
    {{start}} {{sequence_type}} NOT NULL,
    {{end}} {{sequence_type}},
    {{flag_definitions}}
);

-- Per-connection staging for the rejects of one load; moved into the rejects table in the load's
-- transaction. (The load's rows arrive as Arrow batches, registered as the view cp_stage.)
CREATE OR REPLACE TEMP TABLE cp_stage_rejects (
    _file_id    BIGINT NOT NULL,
    _line       BIGINT,
    column_name VARCHAR,
    reason      VARCHAR NOT NULL,
    raw_text    VARCHAR
);
