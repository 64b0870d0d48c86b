-- Keys that the new raw rows touch.
CREATE OR REPLACE TEMP TABLE cp_keys AS
SELECT DISTINCT {{keys}}
FROM {{raw}}
WHERE _file_id > :from_file AND _file_id <= :to_file;

-- The latest change of each such key over all raw rows, so a late older change never wins
-- and a delete stays in force (the raw table is the tombstone). It is picked on narrow columns by
-- hashing, and only the winning rows are read in full.
CREATE OR REPLACE TEMP TABLE cp_latest AS
SELECT {{r_target_columns}}, {{is_delete}} AS _is_delete
FROM {{raw}} r
WHERE r.rowid IN (
    SELECT arg_max(r.rowid, ({{sequence}}, r._file_id, r._line))
    FROM {{raw}} r SEMI JOIN cp_keys k ON {{match_r_k}}
    WHERE r._file_id <= :to_file
    GROUP BY {{r_keys}});

-- What that does to the current table; NULL where nothing changes.
CREATE OR REPLACE TEMP TABLE cp_diff AS
SELECT l.*,
    CASE
        WHEN c._present IS NULL THEN CASE WHEN l._is_delete THEN NULL ELSE 'insert' END
        WHEN l._is_delete THEN 'delete'
        WHEN {{values_differ_l_c}} THEN 'update'
    END AS _change
FROM cp_latest l
LEFT JOIN (SELECT *, true AS _present FROM {{current}}) c ON {{match_l_c}};

INSERT INTO {{changes}}
SELECT :version, :committed_at, CASE d._change WHEN 'update' THEN 'update_preimage' ELSE 'delete' END, {{c_target_columns}}
FROM cp_diff d JOIN {{current}} c ON {{match_d_c}}
WHERE d._change IN ('update', 'delete');

INSERT INTO {{changes}}
SELECT :version, :committed_at, CASE d._change WHEN 'update' THEN 'update_postimage' ELSE 'insert' END, {{d_target_columns}}
FROM cp_diff d
WHERE d._change IN ('update', 'insert');

DELETE FROM {{current}} c USING cp_diff d
WHERE {{match_d_c}} AND d._change IN ('update', 'delete');

INSERT INTO {{current}}
SELECT {{target_columns}}
FROM cp_diff
WHERE _change IN ('update', 'insert');
