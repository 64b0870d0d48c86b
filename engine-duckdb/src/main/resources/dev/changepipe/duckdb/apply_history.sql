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
        -- An upsert opens a version when none is open before it (the first change, or one after a
        -- delete) or its tracked values differ from the change before it.
        NOT _is_delete AND ((lag(_is_delete) OVER w) IS DISTINCT FROM false OR {{tracked_changed}}) AS _opens,
        lead(_seq) OVER w AS _next_seq
    FROM changes
    WINDOW w AS (PARTITION BY {{keys}} ORDER BY _seq)
), bounded AS (
    -- In the same order again, one sort for both: an upsert is its version's last when the next change
    -- is a delete, opens a version, or there is none; its version starts at the latest opening so far.
    SELECT *,
        coalesce(lead(_opens OR _is_delete) OVER w, true) AS _last,
        max(CASE WHEN _opens THEN _seq END) OVER (w ROWS UNBOUNDED PRECEDING) AS _start
    FROM flagged
    WINDOW w AS (PARTITION BY {{keys}} ORDER BY _seq)
)
-- A version takes the values of its last upsert and ends where the next change after it begins.
SELECT {{target_columns}}, _start, _next_seq AS _end
FROM bounded
WHERE NOT _is_delete AND _last;

-- The touched keys' versions as they are now.
CREATE OR REPLACE TEMP TABLE cp_old_versions AS
SELECT {{h_target_columns}}, h.{{start}} AS _start, h.{{end}} AS _end
FROM {{history}} h SEMI JOIN cp_keys k ON {{match_h_k}};

-- Only versions that differ are replaced: most of a touched key's history stays as it is, so the
-- table (and the checkpoints that write it out) sees few deletes. A version is one key and start.
CREATE OR REPLACE TEMP TABLE cp_stale AS
SELECT {{keys}}, _start FROM (
    SELECT {{target_columns}}, _start, _end FROM cp_old_versions
    EXCEPT ALL
    -- Keys new to the history have nothing to compare (all keys, on a first load).
    SELECT {{v_target_columns}}, v._start, v._end FROM cp_versions v SEMI JOIN cp_old_versions o ON {{match_v_o}});

DELETE FROM {{history}} h USING cp_stale s
WHERE {{match_h_s}} AND h.{{start}} = s._start;

INSERT INTO {{history}}
SELECT {{target_columns}}, _start, _end, _end IS NULL
FROM (
    SELECT {{target_columns}}, _start, _end FROM cp_versions
    EXCEPT ALL
    SELECT {{target_columns}}, _start, _end FROM cp_old_versions);
