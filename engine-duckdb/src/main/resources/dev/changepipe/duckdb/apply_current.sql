-- Applies the current plan's action relation (core's Scd1Plan, materialized as cp_current_actions) to
-- the current table, and appends what it changes to the change feed under the task's commit version.
INSERT INTO {{changes}}
SELECT :version, :committed_at, CASE a._action WHEN 'update' THEN 'update_preimage' ELSE 'delete' END, {{c_target_columns}}
FROM cp_current_actions a JOIN {{current}} c ON {{match_a_c}}
WHERE a._action <> 'insert';

INSERT INTO {{changes}}
SELECT :version, :committed_at, CASE _action WHEN 'update' THEN 'update_postimage' ELSE 'insert' END, {{target_columns}}
FROM cp_current_actions
WHERE _action <> 'delete';

DELETE FROM {{current}} c USING cp_current_actions a
WHERE {{match_a_c}} AND a._action <> 'insert';

INSERT INTO {{current}}
SELECT {{target_columns}}
FROM cp_current_actions
WHERE _action <> 'delete';
