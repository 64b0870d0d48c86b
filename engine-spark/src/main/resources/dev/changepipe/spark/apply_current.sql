-- One MERGE: the latest change of each key the new raw rows touch, over all of that key's raw rows
-- (so a late older change never wins and a delete stays in force: the raw table is the tombstone),
-- applied where it changes the current row. Delta's Change Data Feed records what it changed.
MERGE INTO {{current}} c
USING (
    WITH touched AS (
        SELECT DISTINCT {{keys}}
        FROM {{raw}}
        WHERE _file_id > :from_file AND _file_id <= :to_file
    ), ranked AS (
        SELECT {{r_target_columns}}, {{is_delete}} AS _is_delete,
            row_number() OVER (PARTITION BY {{r_keys}} ORDER BY {{sequence}} DESC, r._file_id DESC, r._line DESC) AS _rank
        FROM {{raw}} r LEFT SEMI JOIN touched k ON {{match_r_k}}
        WHERE r._file_id <= :to_file
    )
    SELECT * FROM ranked WHERE _rank = 1
) l
ON {{match_l_c}}
WHEN MATCHED AND l._is_delete THEN DELETE
WHEN MATCHED AND {{values_differ_l_c}} THEN UPDATE SET {{set_c_from_l}}
WHEN NOT MATCHED AND NOT l._is_delete THEN INSERT ({{target_columns}}) VALUES ({{l_target_columns}});
