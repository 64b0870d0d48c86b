-- One MERGE: the history of each key the new raw rows touch is rebuilt from all of its changes (a
-- late change lands where its sequence puts it; the result depends only on the set of changes), and
-- only the versions that differ from the stored ones are written. A version is one key and start.
MERGE INTO {{history}} h
USING (
    WITH touched AS (
        SELECT DISTINCT {{keys}}
        FROM {{raw}}
        WHERE _file_id > :from_file AND _file_id <= :to_file
    ), picked AS (
        SELECT {{r_target_columns}}, {{sequence}} AS _seq, {{is_delete}} AS _is_delete,
            -- Of several changes with one sequence value, the last to arrive wins.
            row_number() OVER (PARTITION BY {{r_keys}}, {{sequence}} ORDER BY r._file_id DESC, r._line DESC) AS _pick
        FROM {{raw}} r LEFT SEMI JOIN touched k ON {{match_r_k}}
        WHERE r._file_id <= :to_file
    ), changes AS (
        SELECT * FROM picked WHERE _pick = 1
    ), flagged AS (
        -- An upsert opens a version when none is open before it (the first change, or one after a
        -- delete) or its tracked values differ from the change before it.
        SELECT *,
            NOT _is_delete AND ((lag(_is_delete) OVER w) IS DISTINCT FROM false OR {{tracked_changed}}) AS _opens,
            lead(_seq) OVER w AS _next_seq
        FROM changes
        WINDOW w AS (PARTITION BY {{keys}} ORDER BY _seq)
    ), bounded AS (
        -- An upsert is its version's last when the next change is a delete, opens a version, or there
        -- is none; its version starts at the latest opening so far.
        SELECT *,
            coalesce(lead(_opens OR _is_delete) OVER (PARTITION BY {{keys}} ORDER BY _seq), true) AS _last,
            max(CASE WHEN _opens THEN _seq END)
                OVER (PARTITION BY {{keys}} ORDER BY _seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS _start
        FROM flagged
    ), versions AS (
        -- A version takes the values of its last upsert and ends where the next change after it begins.
        SELECT {{target_columns}}, _start, _next_seq AS _end
        FROM bounded
        WHERE NOT _is_delete AND _last
    ), stored AS (
        SELECT {{h_target_columns}}, h.{{start}} AS _start, h.{{end}} AS _end
        FROM {{history}} h LEFT SEMI JOIN touched k ON {{match_h_k}}
    )
    -- A version is one key and start. A built version that is new, or differs from the stored one of
    -- its key and start, replaces it; a stored version that is built no more is gone; alike ones stay.
    -- (One outer join, not EXCEPT ALL both ways: Spark 4.2 gave stored versions as gone that both
    -- sides held, when the join was planned as a sort-merge join, as it is for large tables.)
    SELECT {{fresh_or_stale_columns}}, coalesce(f._start, s._start) AS _version_start,
        f._start, f._end, f._start IS NOT NULL AS _fresh
    FROM versions f FULL OUTER JOIN stored s ON {{match_f_s}} AND f._start = s._start
    WHERE f._start IS NULL OR s._start IS NULL OR {{values_differ_f_s}} OR f._end IS DISTINCT FROM s._end
) v
ON {{match_h_v}} AND h.{{start}} = v._version_start
WHEN MATCHED AND NOT v._fresh THEN DELETE
WHEN MATCHED THEN UPDATE SET {{set_h_from_v}}, h.{{end}} = v._end, h.{{is_current}} = v._end IS NULL
WHEN NOT MATCHED AND v._fresh THEN INSERT ({{target_columns}}, {{start}}, {{end}}, {{is_current}})
    VALUES ({{v_target_columns}}, v._start, v._end, v._end IS NULL);
