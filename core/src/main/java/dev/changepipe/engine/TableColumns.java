package dev.changepipe.engine;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.SqlDialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns, in order and with the dialect's type names, that a pipeline's tables must have, and
 * the check of a table made by an earlier spec against them: nothing is altered silently.
 */
public final class TableColumns {
    private TableColumns() {}

    /** The file's columns, then where each row came from. */
    public static Map<String, String> raw(PipelineSpec spec, SqlDialect dialect) {
        Map<String, String> columns = new LinkedHashMap<>();
        spec.columns().forEach((c, t) -> columns.put(c, dialect.typeName(t)));
        columns.put("_file_id", dialect.typeName(ColumnType.BIGINT));
        columns.put("_file", dialect.typeName(ColumnType.VARCHAR));
        columns.put("_line", dialect.typeName(ColumnType.BIGINT));
        columns.put("_ingested_at", dialect.typeName(ColumnType.TIMESTAMPTZ));
        return columns;
    }

    /** The keys and value columns: the current table's. */
    public static Map<String, String> current(PipelineSpec spec, SqlDialect dialect) {
        Map<String, String> columns = new LinkedHashMap<>();
        spec.targetColumns().forEach(c -> columns.put(c, dialect.typeName(spec.typeOf(c))));
        return columns;
    }

    /**
     * The current table's columns, then start and end (of the sequence's type), the current flag and, with
     * {@code history_deletes: row}, the delete flag.
     */
    public static Map<String, String> history(PipelineSpec spec, SqlDialect dialect) {
        Map<String, String> columns = current(spec, dialect);
        String sequenceType = sequenceType(spec, dialect);
        columns.put(spec.historyColumns().start(), sequenceType);
        columns.put(spec.historyColumns().end(), sequenceType);
        historyFlags(spec).forEach(flag -> columns.put(flag, dialect.typeName(ColumnType.BOOLEAN)));
        return columns;
    }

    /** The history's flag columns, in table order: the current flag, then the delete flag when the spec has one. */
    public static List<String> historyFlags(PipelineSpec spec) {
        List<String> flags = new ArrayList<>(List.of(spec.historyColumns().current()));
        spec.historyColumns().deleted().ifPresent(flags::add);
        return flags;
    }

    /** The type of the history table's start and end columns: the sequence's, or the ingestion time's. */
    public static String sequenceType(PipelineSpec spec, SqlDialect dialect) {
        return dialect.typeName(sequenceColumnType(spec));
    }

    /** The type of what orders changes: the sequence column's, or timestamptz (ingestion times) without one. */
    public static ColumnType sequenceColumnType(PipelineSpec spec) {
        return spec.sequenceBy().map(spec::typeOf).orElse(ColumnType.TIMESTAMPTZ);
    }

    /**
     * Checks the columns a table has against those the spec needs, names and types compared ignoring case.
     *
     * @throws ChangepipeException a user error naming the table, both column lists and the way out
     */
    public static void check(String table, Object warehouse, Map<String, String> have, Map<String, String> want) {
        List<String> actual = described(have);
        List<String> expected = described(want);
        if (!actual.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
                .equals(expected.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())) {
            throw ChangepipeException.user("table " + table + " in warehouse " + warehouse + " has columns ("
                    + String.join(", ", actual) + ") but the spec needs (" + String.join(", ", expected)
                    + "); changing the columns of an existing pipeline is not supported: use a new warehouse");
        }
    }

    private static List<String> described(Map<String, String> columns) {
        return columns.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    }
}
