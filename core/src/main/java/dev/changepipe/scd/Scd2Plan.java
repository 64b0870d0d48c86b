package dev.changepipe.scd;

import static dev.changepipe.sql.ColumnFragments.anyOrFalse;
import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history table's plan (SCD type 2, rules 4 and 5 of docs/semantics.md): the history of each key
 * the new raw rows touch, rebuilt from all of its changes, so a late change lands where its sequence
 * puts it and the result depends only on the set of changes; then compared with the stored versions.
 * A version is one key and start. Its action relation has the history's value columns, the key,
 * {@code _version_start} (the start of the version to change), {@code _start}, {@code _end},
 * {@code _is_current} and {@code _action}: a built version that is new is an insert, one that differs
 * from the stored one of its key and start an update, a stored version built no more a delete; alike
 * ones stay as they are, so most of a touched key's history is not rewritten.
 */
public final class Scd2Plan {
    /** The steps' names, also the names of DuckDB's temporary tables. */
    public static final String KEYS = Scd1Plan.KEYS;
    public static final String VERSIONS = "cp_versions";
    public static final String STORED = "cp_stored";
    public static final String ACTIONS = "cp_history_actions";

    /** From a key's changes (rule 2.2, filled by rule 2.3 when on) to its versions (rules 5.1–5.4). */
    private static final String VERSIONS_FROM_CHANGES = """
            flagged AS (
                -- An upsert opens a version when none is open before it (the first change, or one after a
                -- delete) or its tracked values differ from the change before it.
                SELECT *,
                    NOT _is_delete AND ((lag(_is_delete) OVER w) IS DISTINCT FROM false OR {{tracked_changed}}) AS _opens,
                    lead(_seq) OVER w AS _next_seq
                FROM changes
                WINDOW w AS (PARTITION BY {{keys}} ORDER BY _seq)
            ), bounded AS (
                -- In the same order again: an upsert is its version's last when the next change is a delete,
                -- opens a version, or there is none; its version starts at the latest opening so far.
                SELECT *,
                    coalesce(lead(_opens OR _is_delete) OVER (PARTITION BY {{keys}} ORDER BY _seq), true) AS _last,
                    max(CASE WHEN _opens THEN _seq END)
                        OVER (PARTITION BY {{keys}} ORDER BY _seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS _start
                FROM flagged
            )
            -- A version takes the values of its last upsert and ends where the next change after it begins;
            -- one with no change after it is open (rule 5.6: its end is history_columns.open_end, NULL by default).
            SELECT {{target_columns}}, _start, {{version_end}} AS _end, _next_seq IS NULL AS _is_current
            FROM bounded
            WHERE NOT _is_delete AND _last
            """;

    private static final SqlTemplate VERSIONS_AS_LANDED = SqlTemplate.of("versions",
            "WITH " + FilledChanges.PICKED + ", " + FilledChanges.AS_LANDED + ", " + VERSIONS_FROM_CHANGES);
    private static final SqlTemplate VERSIONS_FILLED = SqlTemplate.of("versions with NULLs filled",
            "WITH " + FilledChanges.PICKED + ", " + FilledChanges.FILLED + ", " + VERSIONS_FROM_CHANGES);

    private static final SqlTemplate STORED_TEMPLATE = SqlTemplate.of("stored versions", """
            SELECT {{h_target_columns}}, h.{{start}} AS _start, h.{{end}} AS _end
            FROM {{history}} h {{semi_join}} cp_keys k ON {{match_h_k}}
            """);

    /*
     * One outer join, not EXCEPT ALL both ways: Spark 4.2 gave stored versions as gone that both sides
     * held when the join was planned as a sort-merge join, as it is for large tables.
     */
    private static final SqlTemplate ACTIONS_TEMPLATE = SqlTemplate.of("history actions", """
            SELECT {{version_columns}}, coalesce(f._start, s._start) AS _version_start, f._start, f._end, f._is_current,
                CASE WHEN s._start IS NULL THEN 'insert' WHEN f._start IS NULL THEN 'delete' ELSE 'update' END AS _action
            FROM cp_versions f
            FULL OUTER JOIN cp_stored s ON {{match_f_s}} AND f._start = s._start
            WHERE f._start IS NULL OR s._start IS NULL OR {{values_differ_f_s}} OR f._end IS DISTINCT FROM s._end
            """);

    /** Rule 5.6 for a history written under another open end: every open version ends at this spec's. */
    private static final SqlTemplate OPEN_ENDS = SqlTemplate.of("open ends", """
            UPDATE {{history}} SET {{end}} = {{open_end}}
            WHERE {{is_current}} AND {{end}} IS DISTINCT FROM {{open_end}}
            """);

    private Scd2Plan() {}

    /**
     * The statement that gives every open version of the history this spec's open end (rule 5.6), run when a pipeline
     * starts: a spec that sets, changes or drops {@code history_columns.open_end} leaves no version with the old one.
     */
    public static Sql openEnds(PipelineSpec spec, SqlDialect dialect) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.put("open_end", openEnd(spec, dialect));
        return OPEN_ENDS.single(pieces);
    }

    /** The open end as a value of the history's end column, NULL by default. */
    private static Sql openEnd(PipelineSpec spec, SqlDialect dialect) {
        String type = TableColumns.sequenceType(spec, dialect);
        return spec.historyColumns().openEnd()
                .map(end -> Sql.builder().text("CAST(").value(end).text(" AS " + type + ")").build())
                .orElse(Sql.text("CAST(NULL AS " + type + ")"));
    }

    public static ScdPlan of(PipelineSpec spec, SqlDialect dialect) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.put("tracked_changed", Sql.text(anyOrFalse(spec.trackHistoryColumns(),
                c -> "(lag(" + dialect.quote(c) + ") OVER w) IS DISTINCT FROM " + dialect.quote(c))));
        // The key of a version that is gone is the stored one's; its values are the built one's (NULL then).
        pieces.put("version_columns", Sql.text(list(spec.targetColumns(),
                c -> spec.keys().contains(c)
                        ? "coalesce(f." + dialect.quote(c) + ", s." + dialect.quote(c) + ") AS " + dialect.quote(c)
                        : "f." + dialect.quote(c) + " AS " + dialect.quote(c))));
        pieces.put("filled_columns", Sql.text(FilledChanges.filledColumns(spec, dialect)));
        pieces.put("version_end", spec.historyColumns().openEnd().isEmpty() ? Sql.text("_next_seq")
                : Sql.builder().text("coalesce(_next_seq, ").sql(openEnd(spec, dialect)).text(")").build());
        SqlTemplate versions = FilledChanges.on(spec) ? VERSIONS_FILLED : VERSIONS_AS_LANDED;
        return new ScdPlan(List.of(
                new Relation(KEYS, Scd1Plan.TOUCHED_KEYS.single(pieces)),
                new Relation(VERSIONS, versions.single(pieces)),
                new Relation(STORED, STORED_TEMPLATE.single(pieces)),
                new Relation(ACTIONS, ACTIONS_TEMPLATE.single(pieces))));
    }
}
