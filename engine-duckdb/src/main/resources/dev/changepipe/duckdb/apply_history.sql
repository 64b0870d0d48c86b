-- Applies the history plan's action relation (core's Scd2Plan, materialized as cp_history_actions): a
-- version to update or delete is removed by its key and start, and new and updated versions are written.
DELETE FROM {{history}} h USING cp_history_actions a
WHERE {{match_h_a}} AND h.{{start}} = a._version_start AND a._action <> 'insert';

-- Columns are named: a column a file added (rule 1.10) is the table's last, after the flags.
INSERT INTO {{history}} ({{target_columns}}, {{start}}, {{end}}, {{flag_columns}})
SELECT {{target_columns}}, _start, _end, {{action_flags}}
FROM cp_history_actions
WHERE _action <> 'delete';
