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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The history table's plan (SCD type 2, rules 4 and 5 of docs/semantics.md): the history of each key
 * the new raw rows touch, rebuilt from all of its changes, so a late change lands where its sequence
 * puts it and the result depends only on the set of changes; then compared with the stored versions.
 * A version is one key and start. Its action relation has the history's value columns, the key,
 * {@code _version_start} (the start of the version to change), {@code _start}, {@code _end},
 * {@code _is_current}, {@code _is_deleted} (rule 5.7) and {@code _action}: a built version that is new
 * is an insert, one that differs from the stored one of its key and start an update, a stored version
 * built no more a delete; alike ones stay as they are, so most of a touched key's history is not rewritten.
 */
public final class Scd2Plan {
    /** The steps' names, also the names of DuckDB's temporary tables. */
    public static final String KEYS = Scd1Plan.KEYS;
    public static final String VERSIONS = "cp_versions";
    public static final String STORED = "cp_stored";
    public static final String ACTIONS = "cp_history_actions";

    /**
     * From a key's changes (rule 2.2, filled by rule 2.3 when on) to its versions (rules 5.1–5.4); its two {@code %s}
     * take {@link #DELETE_ROW_MARKS} and {@link #DELETE_ROWS} with {@code history_deletes: row}, nothing otherwise.
     */
    private static final String VERSIONS_FROM_CHANGES = """
            flagged AS (
                -- An upsert opens a version when none is open before it (the first change, or one after a
                -- delete) or its tracked values differ from the change before it.
                SELECT *,
                    NOT _is_delete AND ((lag(_is_delete) OVER w) IS DISTINCT FROM false OR {{tracked_changed}}) AS _opens,
                    lead(_seq) OVER w AS _next_seq%s
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
            SELECT {{target_columns}}, _start, {{version_end}} AS _end, _next_seq IS NULL AS _is_current, false AS _is_deleted
            FROM bounded
            WHERE NOT _is_delete AND _last%s
            """;

    /** With history_deletes: row, what flagged also knows of each change: whether a delete follows, and the next upsert. */
    private static final String DELETE_ROW_MARKS = """
            ,
                    lead(_is_delete) OVER w AS _next_is_delete,
                    min(CASE WHEN NOT _is_delete THEN _seq END)
                        OVER (PARTITION BY {{keys}} ORDER BY _seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS _next_upsert_seq""";

    /*
     * Rule 5.7: a delete that closes a version also writes a version of its own, with the closed one's values, from the
     * delete until the next upsert (open when there is none, yet never current). A delete after a delete closes nothing
     * and writes nothing, so a version's last upsert followed by a delete is exactly where a delete row begins.
     */
    private static final String DELETE_ROWS = """

            UNION ALL
            SELECT {{target_columns}}, _next_seq, {{delete_end}}, false, true
            FROM bounded
            WHERE NOT _is_delete AND _last AND _next_is_delete""";

    /** The versions' templates by (truncates, filled, delete rows, snapshots). */
    private static final Map<List<Boolean>, SqlTemplate> VERSIONS_TEMPLATES = new ConcurrentHashMap<>();

    private static final SqlTemplate STORED_TEMPLATE = SqlTemplate.of("stored versions", """
            SELECT {{h_target_columns}}, h.{{start}} AS _start, h.{{end}} AS _end, {{stored_deleted}} AS _is_deleted
            FROM {{history}} h {{semi_join}} cp_keys k ON {{match_h_k}}
            """);

    /*
     * One outer join, not EXCEPT ALL both ways: Spark 4.2 gave stored versions as gone that both sides
     * held when the join was planned as a sort-merge join, as it is for large tables.
     */
    private static final SqlTemplate ACTIONS_TEMPLATE = SqlTemplate.of("history actions", """
            SELECT {{version_columns}}, coalesce(f._start, s._start) AS _version_start, f._start, f._end, f._is_current,
                f._is_deleted,
                CASE WHEN s._start IS NULL THEN 'insert' WHEN f._start IS NULL THEN 'delete' ELSE 'update' END AS _action
            FROM cp_versions f
            FULL OUTER JOIN cp_stored s ON {{match_f_s}} AND f._start = s._start
            WHERE f._start IS NULL OR s._start IS NULL OR {{values_differ_f_s}} OR f._end IS DISTINCT FROM s._end
                OR f._is_deleted IS DISTINCT FROM s._is_deleted
            """);

    /** Rule 5.6 for a history written under another open end: every open version ends at this spec's. */
    private static final SqlTemplate OPEN_ENDS = SqlTemplate.of("open ends", """
            UPDATE {{history}} SET {{end}} = {{open_end}}
            WHERE {{is_current}} AND {{end}} IS DISTINCT FROM {{open_end}}
            """);

    /*
     * With history_deletes: row an open delete row is not current, so the open versions are found as each key's last:
     * a key's last version is open whenever it is current or a delete row (a closed one is neither).
     */
    private static final SqlTemplate OPEN_ENDS_WITH_DELETE_ROWS = SqlTemplate.of("open ends with delete rows", """
            MERGE INTO {{history}} h
            USING (SELECT {{keys}}, max({{start}}) AS _last_start FROM {{history}} GROUP BY {{keys}}) l
            ON {{match_h_l}} AND h.{{start}} = l._last_start
            WHEN MATCHED AND (h.{{is_current}} OR h.{{deleted}}) AND h.{{end}} IS DISTINCT FROM {{open_end}}
                THEN UPDATE SET {{end}} = {{open_end}}
            """);

    private Scd2Plan() {}

    /**
     * The statement that gives every open version of the history this spec's open end (rule 5.6), run when a pipeline
     * starts: a spec that sets, changes or drops {@code history_columns.open_end} leaves no version with the old one.
     */
    public static Sql openEnds(PipelineSpec spec, SqlDialect dialect) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.put("open_end", openEnd(spec, dialect));
        if (spec.historyColumns().deleted().isEmpty()) {
            return OPEN_ENDS.single(pieces);
        }
        pieces.put("deleted", Sql.text(dialect.quote(spec.historyColumns().deleted().get())));
        return OPEN_ENDS_WITH_DELETE_ROWS.single(pieces);
    }

    /**
     * The versions' template for a spec: its changes picked with truncates or not (rule 2.4), as landed or filled (rule
     * 2.3), or derived from snapshots (rule 7.2), with delete rows or not (rule 5.7). Each text made once.
     */
    private static SqlTemplate versions(PipelineSpec spec) {
        boolean truncates = FilledChanges.truncates(spec);
        boolean filled = FilledChanges.on(spec);
        boolean deleteRows = spec.historyColumns().deleted().isPresent();
        boolean snapshots = spec.snapshots();
        String changes = snapshots ? SnapshotChanges.PRESENT + ", " + SnapshotChanges.CHANGES
                : (truncates ? FilledChanges.PICKED_WITH_TRUNCATES : FilledChanges.PICKED) + ", "
                        + (filled ? FilledChanges.FILLED : FilledChanges.AS_LANDED);
        return VERSIONS_TEMPLATES.computeIfAbsent(List.of(truncates, filled, deleteRows, snapshots), k -> SqlTemplate.of(
                "versions" + (truncates ? ", truncates" : "") + (filled ? ", NULLs filled" : "")
                        + (deleteRows ? ", delete rows" : "") + (snapshots ? ", snapshots" : ""),
                "WITH " + changes + ", "
                        + VERSIONS_FROM_CHANGES.formatted(deleteRows ? DELETE_ROW_MARKS : "", deleteRows ? DELETE_ROWS : "")));
    }

    /** Where a version ends: at the change named, or at the open end when there is none after it (rule 5.6). */
    private static Sql endAt(String next, PipelineSpec spec, SqlDialect dialect) {
        return spec.historyColumns().openEnd().isEmpty() ? Sql.text(next)
                : Sql.builder().text("coalesce(" + next + ", ").sql(openEnd(spec, dialect)).text(")").build();
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
        pieces.put("version_end", endAt("_next_seq", spec, dialect));
        pieces.put("delete_end", endAt("_next_upsert_seq", spec, dialect));
        SqlTemplate versions = versions(spec);
        return new ScdPlan(List.of(
                new Relation(KEYS, Scd1Plan.touchedKeys(spec).single(pieces)),
                new Relation(VERSIONS, versions.single(pieces)),
                new Relation(STORED, STORED_TEMPLATE.single(pieces)),
                new Relation(ACTIONS, ACTIONS_TEMPLATE.single(pieces))));
    }
}
