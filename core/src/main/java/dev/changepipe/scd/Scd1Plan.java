package dev.changepipe.scd;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The current table's plan (SCD type 1, rules 2 and 3 of docs/semantics.md): the keys the new raw
 * rows touch, each such key's latest change over all of its raw rows, and what that does to the
 * current table. Its action relation has the current table's columns and {@code _action}; an
 * update replaces the row of the same key.
 */
public final class Scd1Plan {
    /** The steps' names, also the names of DuckDB's temporary tables. */
    public static final String KEYS = "cp_keys";
    public static final String LATEST = "cp_latest";
    public static final String ACTIONS = "cp_current_actions";

    static final SqlTemplate TOUCHED_KEYS = SqlTemplate.of("touched keys", """
            SELECT DISTINCT {{keys}}
            FROM {{raw}}
            WHERE _file_id > :from_file AND _file_id <= :to_file
            """);

    /**
     * With {@code apply_as_truncates} (rule 2.4): a truncate row has no key of its own and touches every key, so a batch
     * with one touches every key of the raw table up to it; a batch without one touches its own keys.
     */
    static final SqlTemplate TOUCHED_KEYS_WITH_TRUNCATES = SqlTemplate.of("touched keys with truncates", """
            SELECT DISTINCT {{r_keys}}
            FROM {{raw}} r
            WHERE NOT {{is_truncate}} AND r._file_id <= :to_file AND (r._file_id > :from_file
                OR (SELECT count(*) FROM {{raw}} r WHERE r._file_id > :from_file AND r._file_id <= :to_file AND {{is_truncate}}) > 0)
            """);

    /**
     * The latest change of each touched key over all raw rows, so a late older change never wins and a
     * delete stays in force (the raw table is the tombstone); on a sequence tie the later file, then
     * the later line, wins.
     */
    private static final SqlTemplate LATEST_RANKED = SqlTemplate.of("latest change", """
            SELECT {{target_columns}}, _is_delete
            FROM (
                SELECT {{r_target_columns}}, {{is_delete}} AS _is_delete,
                    row_number() OVER (PARTITION BY {{r_keys}} ORDER BY {{sequence}} DESC, r._file_id DESC, r._line DESC) AS _rank
                FROM {{raw}} r {{semi_join}} cp_keys k ON {{match_r_k}}
                WHERE r._file_id <= :to_file
            ) ranked
            WHERE _rank = 1
            """);

    /** The same rows, picked on narrow columns by the row id, and only the winners read in full. */
    private static final SqlTemplate LATEST_BY_ROW_ID = SqlTemplate.of("latest change by row id", """
            SELECT {{r_target_columns}}, {{is_delete}} AS _is_delete
            FROM {{raw}} r
            WHERE {{r_row_id}} IN (
                SELECT {{last_row_id}}
                FROM {{raw}} r {{semi_join}} cp_keys k ON {{match_r_k}}
                WHERE r._file_id <= :to_file
                GROUP BY {{r_keys}})
            """);

    /**
     * The latest change of each touched key with its NULLs filled (rule 2.3): the fill needs the key's
     * earlier changes in order, so neither shortcut above applies.
     */
    private static final SqlTemplate LATEST_FILLED = latest("latest change with NULLs filled", FilledChanges.PICKED,
            FilledChanges.FILLED);
    /** With truncates (rule 2.4) the latest change may be a truncate's, which only the picked changes hold. */
    private static final SqlTemplate LATEST_WITH_TRUNCATES = latest("latest change with truncates",
            FilledChanges.PICKED_WITH_TRUNCATES, FilledChanges.AS_LANDED);
    private static final SqlTemplate LATEST_FILLED_WITH_TRUNCATES = latest("latest change with NULLs filled and truncates",
            FilledChanges.PICKED_WITH_TRUNCATES, FilledChanges.FILLED);

    /**
     * An absent key is inserted unless its latest change is a delete; a present one is deleted by a
     * delete and updated when a value differs, NULL-safely; anything else changes nothing.
     */
    private static final String ACTIONS_TEXT = """
            SELECT {{l_target_columns}},
                CASE WHEN {{c_absent}} THEN 'insert' WHEN l._is_delete THEN 'delete' ELSE 'update' END AS _action
            FROM cp_latest l
            LEFT JOIN {{current}} c ON {{match_l_c}}
            WHERE CASE WHEN {{c_absent}} THEN NOT l._is_delete ELSE l._is_delete OR {{values_differ_l_c}} END
            """;
    private static final SqlTemplate ACTIONS_TEMPLATE = SqlTemplate.of("current actions", ACTIONS_TEXT);

    /**
     * With snapshots a touched key may have no change left: its only rows were in a snapshot that a later one of the
     * same time replaced (rule 7.4), or the latest snapshot lacks it ({@link SnapshotChanges#LATEST}). Either way it has
     * no row now, so a row the current table has for it is deleted.
     */
    private static final SqlTemplate ACTIONS_OF_SNAPSHOTS = SqlTemplate.of("current actions of snapshots", ACTIONS_TEXT + """
            UNION ALL
            SELECT {{c_target_columns}}, 'delete' AS _action
            FROM {{current}} c {{semi_join}} cp_keys k ON {{match_c_k}}
            LEFT JOIN cp_latest l ON {{match_l_c}}
            WHERE {{l_absent}}
            """);

    private Scd1Plan() {}

    private static SqlTemplate latest(String name, String picked, String changes) {
        return SqlTemplate.of(name, "WITH " + picked + ", " + changes + """
                SELECT {{target_columns}}, _is_delete
                FROM (
                    SELECT *, row_number() OVER (PARTITION BY {{keys}} ORDER BY _seq DESC) AS _rank
                    FROM changes
                ) ranked
                WHERE _rank = 1
                """);
    }

    /**
     * The touched keys: the batch's own, every key when truncates are on and the batch has one (rule 2.4), or with
     * snapshots the keys of the snapshots whose changes the batch's files change (rule 7.2).
     */
    static SqlTemplate touchedKeys(PipelineSpec spec) {
        if (spec.snapshots()) {
            return SnapshotChanges.TOUCHED_KEYS;
        }
        return FilledChanges.truncates(spec) ? TOUCHED_KEYS_WITH_TRUNCATES : TOUCHED_KEYS;
    }

    public static ScdPlan of(PipelineSpec spec, SqlDialect dialect) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        SqlTemplate latest = LATEST_RANKED;
        pieces.put("filled_columns", Sql.text(FilledChanges.filledColumns(spec, dialect)));
        if (spec.snapshots()) {
            latest = SnapshotChanges.LATEST;
        } else if (FilledChanges.truncates(spec)) {
            latest = FilledChanges.on(spec) ? LATEST_FILLED_WITH_TRUNCATES : LATEST_WITH_TRUNCATES;
        } else if (FilledChanges.on(spec)) {
            latest = LATEST_FILLED;
        } else if (dialect.rowId("r").isPresent()) {
            pieces.put("r_row_id", Sql.text(dialect.rowId("r").get()));
            pieces.put("last_row_id", Sql.builder().text(dialect.argMax(dialect.rowId("r").get(),
                    List.of(PlanFragments.sequence(spec, dialect), "r._file_id", "r._line"))).build());
            latest = LATEST_BY_ROW_ID;
        }
        return new ScdPlan(List.of(
                new Relation(KEYS, touchedKeys(spec).single(pieces)),
                new Relation(LATEST, latest.single(pieces)),
                new Relation(ACTIONS, (spec.snapshots() ? ACTIONS_OF_SNAPSHOTS : ACTIONS_TEMPLATE).single(pieces))));
    }
}
