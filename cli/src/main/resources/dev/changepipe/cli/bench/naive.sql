-- The original project's logic, transcribed for DuckDB. It is fast because it skips what changepipe exists
-- for, and it is wrong in these ways:
--  * `<>` is not NULL-safe: a value changing to or from NULL is no change, so it is never applied.
--  * Several changes of one key in a batch: DuckDB refuses such a MERGE (as Snowflake does by default), so
--    one arbitrary row per key is kept (Snowflake's ERROR_ON_NONDETERMINISTIC_MERGE = FALSE): the change
--    that wins is not the latest, and the others never reach the history.
--  * Order: a late, older change overwrites a newer one; deletes (op = 'D') are applied as updates.
--  * History is derived from the current table's changes, so a late change that should not alter the
--    current row is lost from the history too; end times are the next change's, not re-derived.
--  * The race: rows copied into customer_raw after the MERGE read it and before the TRUNCATE are lost.
--  * No ledger (a re-delivered file is loaded twice), no rejects (one bad row fails the whole COPY).

-- Snowpipe's COPY INTO.
INSERT INTO customer_raw
SELECT * FROM read_csv(:files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'customer_id': 'BIGINT', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'email': 'VARCHAR',
               'street': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR', 'country': 'VARCHAR',
               'update_timestamp': 'TIMESTAMP', 'op': 'VARCHAR'});

-- One arbitrary row per key, so that the MERGE runs at all.
CREATE OR REPLACE TEMP TABLE naive_batch AS
SELECT DISTINCT ON (customer_id) * FROM customer_raw;

-- The stream on customer: what the MERGE below inserts and updates, with `<>` as its condition.
CREATE OR REPLACE TEMP TABLE customer_table_changes AS
SELECT b.customer_id, b.first_name, b.last_name, b.email, b.street, b.city, b.state, b.country,
       b.update_timestamp, c.customer_id IS NOT NULL AS is_update
FROM naive_batch b LEFT JOIN customer c ON c.customer_id = b.customer_id
WHERE c.customer_id IS NULL
   OR c.first_name <> b.first_name OR c.last_name <> b.last_name OR c.email <> b.email
   OR c.street <> b.street OR c.city <> b.city OR c.state <> b.state OR c.country <> b.country;

MERGE INTO customer c USING naive_batch cr ON c.customer_id = cr.customer_id
WHEN MATCHED AND (c.first_name <> cr.first_name OR c.last_name <> cr.last_name OR c.email <> cr.email
        OR c.street <> cr.street OR c.city <> cr.city OR c.state <> cr.state OR c.country <> cr.country) THEN
    UPDATE SET first_name = cr.first_name, last_name = cr.last_name, email = cr.email, street = cr.street,
        city = cr.city, state = cr.state, country = cr.country, update_timestamp = cr.update_timestamp
WHEN NOT MATCHED THEN
    INSERT VALUES (cr.customer_id, cr.first_name, cr.last_name, cr.email, cr.street, cr.city, cr.state, cr.country,
        cr.update_timestamp);

-- The history task over the stream: an update closes the current version and opens a new one.
UPDATE customer_history h SET end_time = c.update_timestamp, is_current = false
FROM customer_table_changes c
WHERE h.customer_id = c.customer_id AND h.is_current AND c.is_update;

INSERT INTO customer_history
SELECT customer_id, first_name, last_name, email, street, city, state, country, update_timestamp, NULL, true
FROM customer_table_changes;

TRUNCATE customer_raw;
