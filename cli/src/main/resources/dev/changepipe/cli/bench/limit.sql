-- The physical limit: DuckDB's own parallel CSV reader loads the files into a plain table, typed as the
-- spec types them, and nothing else: no ledger, no rejects, no line numbers, no current or history table.
CREATE TABLE customer_raw (
    customer_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, street VARCHAR, city VARCHAR,
    state VARCHAR, country VARCHAR, update_timestamp TIMESTAMP, op VARCHAR
);

INSERT INTO customer_raw
SELECT * FROM read_csv(:files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'customer_id': 'BIGINT', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'email': 'VARCHAR',
               'street': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR', 'country': 'VARCHAR',
               'update_timestamp': 'TIMESTAMP', 'op': 'VARCHAR'});
