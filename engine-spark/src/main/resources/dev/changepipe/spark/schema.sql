-- changepipe's own bookkeeping, shared by the pipelines of one warehouse: Delta tables under
-- <engine.path>/_changepipe. The offsets of the current and history tasks are not here: each is kept
-- in its target table's own Delta log (a txnAppId/txnVersion pair), committed with the data.
CREATE TABLE IF NOT EXISTS {{files}} (
    pipeline         STRING NOT NULL,
    file_id          BIGINT NOT NULL,
    name             STRING NOT NULL,
    path             STRING NOT NULL,
    size             BIGINT NOT NULL,
    content_hash     STRING NOT NULL,
    last_modified    TIMESTAMP NOT NULL,
    status           STRING NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_rejected    BIGINT NOT NULL,
    first_error      STRING,
    ingested_at      TIMESTAMP NOT NULL,
    version          INT NOT NULL,
    original_file_id BIGINT,
    etag             STRING,
    check_failures   STRING,
    header_drift     STRING
) USING delta;

CREATE TABLE IF NOT EXISTS {{offsets}} (
    pipeline     STRING NOT NULL,
    consumer     STRING NOT NULL,
    committed    BIGINT NOT NULL,
    committed_at TIMESTAMP NOT NULL
) USING delta;

CREATE TABLE IF NOT EXISTS {{task_history}} (
    pipeline STRING NOT NULL,
    task     STRING NOT NULL,
    started  TIMESTAMP NOT NULL,
    ended    TIMESTAMP NOT NULL,
    rows_in  BIGINT NOT NULL,
    rows_out BIGINT NOT NULL,
    attempt  INT NOT NULL,
    status   STRING NOT NULL,
    error    STRING,
    check_failures STRING
) USING delta;

-- The pipeline's tables, one Delta table each under <engine.path>.
CREATE TABLE IF NOT EXISTS {{raw}} (
    {{raw_column_definitions}},
    _file_id     BIGINT NOT NULL,
    _file        STRING NOT NULL,
    _line        BIGINT NOT NULL,
    _ingested_at TIMESTAMP NOT NULL,
    _rescued     STRING
) USING delta;

CREATE TABLE IF NOT EXISTS {{rejects}} (
    _file_id     BIGINT NOT NULL,
    _file        STRING NOT NULL,
    _line        BIGINT,
    _ingested_at TIMESTAMP NOT NULL,
    column_name  STRING,
    reason       STRING NOT NULL,
    raw_text     STRING
) USING delta;

-- The change feed between SCD1 and SCD2 is this table's Delta Change Data Feed.
CREATE TABLE IF NOT EXISTS {{current}} (
    {{target_column_definitions}}
) USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true);

CREATE TABLE IF NOT EXISTS {{history}} (
    {{target_column_definitions}},
    {{start}} {{sequence_type}} NOT NULL,
    {{end}} {{sequence_type}},
    {{flag_definitions}}
) USING delta;
