-- Keys that the new raw rows touch.
CREATE OR REPLACE TEMP TABLE cp_keys AS
SELECT DISTINCT {{keys}}
FROM {{raw}}
WHERE _file_id > :from_file AND _file_id <= :to_file;

-- The history of each such key, rebuilt from all of its changes: a late change lands where its
-- sequence puts it, and the result depends only on the set of changes, never on arrival order.
CREATE OR REPLACE TEMP TABLE cp_versions AS
WITH changes AS (
    SELECT {{r_target_columns}}, {{sequence}} AS _seq, {{is_delete}} AS _is_delete
    FROM {{raw}} r SEMI JOIN cp_keys k ON {{match_r_k}}
    WHERE r._file_id <= :to_file
    -- Of several changes with one sequence value, the last to arrive wins.
    QUALIFY row_number() OVER (PARTITION BY {{r_keys}}, {{sequence}} ORDER BY r._file_id DESC, r._line DESC) = 1
), flagged AS (
    SELECT *,
        CASE
            WHEN _is_delete THEN 0
            -- No open version before this upsert: the first change, or one after a delete.
            WHEN (lag(_is_delete) OVER w) IS DISTINCT FROM false THEN 1
            WHEN {{tracked_changed}} THEN 1
            ELSE 0
        END AS _starts,
        lead(_seq) OVER w AS _next_seq
    FROM changes
    WINDOW w AS (PARTITION BY {{keys}} ORDER BY _seq)
), numbered AS (
    SELECT *, sum(_starts) OVER (PARTITION BY {{keys}} ORDER BY _seq ROWS UNBOUNDED PRECEDING) AS _version
    FROM flagged
)
-- A version takes the values of its last upsert and ends where the next change after it begins.
SELECT {{target_columns}}, min(_seq) OVER (PARTITION BY {{keys}}, _version) AS _start, _next_seq AS _end
FROM numbered
WHERE NOT _is_delete
QUALIFY row_number() OVER (PARTITION BY {{keys}}, _version ORDER BY _seq DESC) = 1;

DELETE FROM {{history}} h USING cp_keys k
WHERE {{match_h_k}};

INSERT INTO {{history}}
SELECT {{target_columns}}, _start, _end, _end IS NULL
FROM cp_versions;
