package dev.changepipe.scd;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The current table as of a sequence time T (rule 3.5 of docs/semantics.md), derived from the raw table as the
 * current table's plan derives it: of each key's changes with a sequence value at or before T, the latest (rule 2.2),
 * NULLs filled by rule 2.3 when on; the key is absent when that change is a delete. Derived from the changes rather
 * than read from the history, because a history version keeps the latest values of untracked columns in place.
 */
public final class CurrentAsOf {
    private static final String UP_TO = "{{sequence}} <= {{as_of}}";
    private static final String PICKED = FilledChanges.picked("    FROM {{raw}} r\n    WHERE " + UP_TO + "\n");
    /** With truncates (rule 2.4) every key of the raw table takes each truncate up to T. */
    private static final String PICKED_WITH_TRUNCATES = FilledChanges.pickedWithTruncates(
            "(SELECT DISTINCT {{r_keys}} FROM {{raw}} r WHERE NOT {{is_truncate}})", UP_TO);
    private static final SqlTemplate AS_LANDED = SqlTemplate.of("current table as of",
            relation(PICKED, FilledChanges.AS_LANDED));
    private static final SqlTemplate FILLED = SqlTemplate.of("current table as of, NULLs filled",
            relation(PICKED, FilledChanges.FILLED));
    private static final SqlTemplate AS_LANDED_WITH_TRUNCATES = SqlTemplate.of("current table as of, truncates",
            relation(PICKED_WITH_TRUNCATES, FilledChanges.AS_LANDED));
    private static final SqlTemplate FILLED_WITH_TRUNCATES = SqlTemplate.of("current table as of, NULLs filled, truncates",
            relation(PICKED_WITH_TRUNCATES, FilledChanges.FILLED));
    /** What may end a user's statement and is dropped before it becomes a subquery. */
    private static final Pattern TRAILING = Pattern.compile("[\\s;]+$");

    private CurrentAsOf() {}

    private static String relation(String picked, String changes) {
        return "WITH " + picked + ", " + changes + """
            SELECT {{target_columns}}
            FROM (
                SELECT *, row_number() OVER (PARTITION BY {{keys}} ORDER BY _seq DESC) AS _rank
                FROM changes
            ) ranked
            WHERE _rank = 1 AND NOT _is_delete
            """;
    }

    /**
     * Reads an as-of time as a value of the sequence column's type (an ingestion time, timestamptz, without one), as a
     * field of a file would be read.
     *
     * @throws ChangepipeException a user error naming the option and the type
     */
    public static Object time(PipelineSpec spec, String text) {
        ColumnType type = TableColumns.sequenceColumnType(spec);
        try {
            return type.parse(text);
        } catch (RuntimeException e) {
            throw ChangepipeException.user("--as-of: cannot read '" + text + "' as " + type.specName() + ", the type of "
                    + spec.sequenceBy().map(c -> "the sequence column '" + c + "'").orElse("ingestion times (no sequence_by)"));
        }
    }

    /** The relation: the current table's columns, one row per key live at {@code asOf}. */
    public static Sql relation(PipelineSpec spec, SqlDialect dialect, Object asOf) {
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.put("as_of", Sql.builder().text("CAST(").value(asOf)
                .text(" AS " + TableColumns.sequenceType(spec, dialect) + ")").build());
        pieces.put("filled_columns", Sql.text(FilledChanges.filledColumns(spec, dialect)));
        SqlTemplate template = FilledChanges.truncates(spec)
                ? (FilledChanges.on(spec) ? FILLED_WITH_TRUNCATES : AS_LANDED_WITH_TRUNCATES)
                : (FilledChanges.on(spec) ? FILLED : AS_LANDED);
        return template.single(pieces);
    }

    /**
     * A user's read-only statement, ready for the engine's {@code query}, in which the current table's name means the
     * table as of the sequence time {@code asOf} (read by {@link #time}): the statement becomes a subquery under a common
     * table expression of that name, which hides the table. Its own {@code ?} placeholders stay, and its
     * {@code parameters} follow the values the dialect binds for the as-of time.
     */
    public static SqlDialect.Executable statement(PipelineSpec spec, SqlDialect dialect, String sql,
            List<Object> parameters, String asOf) {
        Sql statement = Sql.builder()
                .text("WITH " + dialect.quote(spec.tables().current()) + " AS (")
                .sql(relation(spec, dialect, time(spec, asOf)))
                .text(")\nSELECT * FROM (\n" + TRAILING.matcher(sql).replaceAll("") + "\n) cp_as_of")
                .build();
        SqlDialect.Executable executable = dialect.executable(statement, Map.of());
        List<Object> values = new ArrayList<>(executable.values());
        values.addAll(parameters);
        return new SqlDialect.Executable(executable.text(), values);
    }
}
