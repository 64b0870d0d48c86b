package dev.changepipe.scd;

import dev.changepipe.sql.SqlTemplate;

/**
 * The changes a set of snapshots gives (docs/semantics.md rules 7.2–7.5), derived when the tasks run from every snapshot
 * in snapshot-time order, never stored at load, so they depend on the set of snapshots and not on the order they came:
 * each key's row in each snapshot is an upsert at the snapshot's time, and a key that a snapshot has and the next one
 * lacks is deleted at the next one's time. Of the files with one snapshot time only the last to arrive counts. As
 * {@code changes}, with the target columns, {@code _seq} and {@code _is_delete}, the relation the history plan builds
 * on; the current table's plan needs only the latest snapshot ({@link #LATEST}).
 */
final class SnapshotChanges {
    /**
     * A new snapshot changes what its own time and the next one give, so it touches the keys of every file at its time
     * (one it replaces included) and at the snapshot before it: a key of the one before that it lacks is now deleted at
     * its time, and a key it has is upserted there.
     */
    static final SqlTemplate TOUCHED_KEYS = SqlTemplate.of("keys touched by snapshots", """
            WITH times AS (
                SELECT DISTINCT {{sequence}} AS _seq, r._file_id FROM {{raw}} r WHERE r._file_id <= :to_file
            ), ordered AS (
                SELECT _seq, lag(_seq) OVER (ORDER BY _seq) AS _before FROM (SELECT DISTINCT _seq FROM times) t
            ), near AS (
                SELECT o._seq FROM ordered o WHERE o._seq IN (SELECT _seq FROM times WHERE _file_id > :from_file)
                UNION
                SELECT o._before FROM ordered o WHERE o._seq IN (SELECT _seq FROM times WHERE _file_id > :from_file)
            )
            SELECT DISTINCT {{r_keys}}
            FROM {{raw}} r
            WHERE r._file_id IN (SELECT _file_id FROM times WHERE _seq IN (SELECT _seq FROM near))
            """);

    /** The effective snapshots: of the files up to the batch with one snapshot time, the last to arrive. */
    private static final String EFFECTIVE = """
            snapshots AS (
                SELECT _seq, max(_file_id) AS _file_id
                FROM (SELECT DISTINCT {{sequence}} AS _seq, r._file_id FROM {{raw}} r WHERE r._file_id <= :to_file) files
                GROUP BY _seq
            )
            """;

    /**
     * The effective snapshots in time order, each with the next one's time; each touched key's row in each of them (the
     * last line, should a dump hold a key twice), with the time it is next present; and from these the changes.
     */
    static final String PRESENT = EFFECTIVE + """
            , ordered_snapshots AS (
                SELECT _seq, _file_id, lead(_seq) OVER (ORDER BY _seq) AS _next_snapshot FROM snapshots
            ), present AS (
                SELECT {{r_target_columns}}, s._seq, s._next_snapshot,
                    row_number() OVER (PARTITION BY {{r_keys}}, s._seq ORDER BY r._line DESC) AS _pick
                FROM {{raw}} r
                JOIN ordered_snapshots s ON r._file_id = s._file_id
                {{semi_join}} cp_keys k ON {{match_r_k}}
            ), marked AS (
                SELECT *, lead(_seq) OVER (PARTITION BY {{keys}} ORDER BY _seq) AS _next_present
                FROM present
                WHERE _pick = 1
            )
            """;

    /** An upsert where a key is present; a delete, with its last values, at the first snapshot after that lacks it. */
    static final String CHANGES = """
            changes AS (
                SELECT {{target_columns}}, _seq, false AS _is_delete FROM marked
                UNION ALL
                SELECT {{target_columns}}, _next_snapshot, true FROM marked
                WHERE _next_snapshot IS NOT NULL AND (_next_present IS NULL OR _next_present > _next_snapshot)
            )
            """;

    /**
     * The current table's plan needs less than every change: a key's latest change is an upsert where the latest
     * snapshot has the key, and a delete, or none, where it lacks it; either way the key has no row then. So the latest
     * changes of the touched keys are the latest snapshot's rows of them (the last line, should it hold a key twice), and
     * the plan's actions delete a touched key it lacks: one pass over that snapshot and the current table, however many
     * snapshots came before.
     */
    static final SqlTemplate LATEST = SqlTemplate.of("latest snapshot", "WITH " + EFFECTIVE + """
            SELECT {{target_columns}}, false AS _is_delete
            FROM (
                SELECT {{r_target_columns}}, row_number() OVER (PARTITION BY {{r_keys}} ORDER BY r._line DESC) AS _pick
                FROM {{raw}} r {{semi_join}} cp_keys k ON {{match_r_k}}
                WHERE r._file_id = (SELECT _file_id FROM snapshots WHERE _seq = (SELECT max(_seq) FROM snapshots))
            ) latest
            WHERE _pick = 1
            """);

    private SnapshotChanges() {}
}
