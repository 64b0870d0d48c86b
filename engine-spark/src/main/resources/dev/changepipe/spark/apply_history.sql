-- One MERGE applies the history plan's action relation (core's Scd2Plan) to the history table: a version
-- is one key and start, matched on the start of the version to change.
MERGE INTO {{history}} h
USING ({{actions}}) a
ON {{match_h_a}} AND h.{{start}} = a._version_start
WHEN MATCHED AND a._action = 'delete' THEN DELETE
WHEN MATCHED AND a._action = 'update' THEN UPDATE SET {{set_h_from_a}}, h.{{end}} = a._end, {{set_h_flags}}
WHEN NOT MATCHED AND a._action = 'insert' THEN INSERT ({{target_columns}}, {{start}}, {{end}}, {{flag_columns}})
    VALUES ({{a_target_columns}}, a._start, a._end, {{a_flags}});
