-- The original Snowflake project's tables: files are copied into customer_raw, a task merges it into
-- customer, a stream on customer feeds customer_history, and customer_raw is truncated.
CREATE TABLE customer_raw (
    customer_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, street VARCHAR, city VARCHAR,
    state VARCHAR, country VARCHAR, update_timestamp TIMESTAMP, op VARCHAR
);

CREATE TABLE customer (
    customer_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, street VARCHAR, city VARCHAR,
    state VARCHAR, country VARCHAR, update_timestamp TIMESTAMP
);

CREATE TABLE customer_history (
    customer_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, street VARCHAR, city VARCHAR,
    state VARCHAR, country VARCHAR, start_time TIMESTAMP, end_time TIMESTAMP, is_current BOOLEAN
);
