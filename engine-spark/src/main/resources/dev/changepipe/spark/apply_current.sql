-- One MERGE applies the current plan's action relation (core's Scd1Plan) to the current table; Delta's
-- Change Data Feed records what it changed.
MERGE INTO {{current}} c
USING ({{actions}}) a
ON {{match_a_c}}
WHEN MATCHED AND a._action = 'delete' THEN DELETE
WHEN MATCHED AND a._action = 'update' THEN UPDATE SET {{set_c_from_a}}
WHEN NOT MATCHED AND a._action = 'insert' THEN INSERT ({{target_columns}}) VALUES ({{a_target_columns}});
