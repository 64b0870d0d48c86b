-- The names a user's query (and `changepipe query`) reads: the spec's table names, and the change
-- feed as `<current>_changes` with the embedded engine's columns. Session-scoped, so two pipelines
-- in one JVM each see their own tables.
CREATE OR REPLACE TEMP VIEW {{raw_name}} AS SELECT * FROM {{raw}};
CREATE OR REPLACE TEMP VIEW {{rejects_name}} AS SELECT * FROM {{rejects}};
CREATE OR REPLACE TEMP VIEW {{current_name}} AS SELECT * FROM {{current}};
CREATE OR REPLACE TEMP VIEW {{history_name}} AS SELECT * FROM {{history}};
CREATE OR REPLACE TEMP VIEW {{changes_name}} AS
SELECT _commit_version, _commit_timestamp, _change_type, {{target_columns}}
FROM table_changes_by_path({{current_location}}, 0);
