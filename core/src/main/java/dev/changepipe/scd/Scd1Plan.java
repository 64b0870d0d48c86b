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
    private static final SqlTemplate LATEST_FILLED = SqlTemplate.of("latest change with NULLs filled",
            "WITH " + FilledChanges.PICKED + ", " + FilledChanges.FILLED + """
            SELECT {{target_columns}}, _is_delete
            FROM (
                SELECT *, row_number() OVER (PARTITION BY {{keys}} ORDER BY _seq DESC) AS _rank
                FROM changes
            ) ranked
            WHERE _rank = 1
            """);

    /**
     * An absent key is inserted unless its latest change is a delete; a present one is deleted by a
     * delete and updated when a value differs, NULL-safely; anything else changes nothing.
     */
    private static final SqlTemplate ACTIONS_TEMPLATE = SqlTemplate.of("current actions", """
            SELECT {{l_target_columns}},
                CASE WHEN {{c_absent}} THEN 'insert' WHEN l._is_delete THEN 'delete' ELSE 'update' END AS _action
            FROM cp_latest l
            LEFT JOIN {{current}} c ON {{match_l_c}}
            WHERE CASE WHEN {{c_absent}} THEN NOT l._is_delete ELSE l._is_delete OR {{values_differ_l_c}} END
            """);

    private Scd1Plan() {}

    public static ScdPlan of(PipelineSpec spec, SqlDialect dialect) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        SqlTemplate latest = LATEST_RANKED;
        if (FilledChanges.on(spec)) {
            pieces.put("filled_columns", Sql.text(FilledChanges.filledColumns(spec, dialect)));
            latest = LATEST_FILLED;
        } else if (dialect.rowId("r").isPresent()) {
            pieces.put("r_row_id", Sql.text(dialect.rowId("r").get()));
            pieces.put("last_row_id", Sql.builder().text(dialect.argMax(dialect.rowId("r").get(),
                    List.of(PlanFragments.sequence(spec, dialect), "r._file_id", "r._line"))).build());
            latest = LATEST_BY_ROW_ID;
        }
        return new ScdPlan(List.of(
                new Relation(KEYS, TOUCHED_KEYS.single(pieces)),
                new Relation(LATEST, latest.single(pieces)),
                new Relation(ACTIONS, ACTIONS_TEMPLATE.single(pieces))));
    }
}
