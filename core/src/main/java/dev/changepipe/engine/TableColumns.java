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
    /** The raw table's column for the values of a file's columns the spec does not declare (rule 1.8). */
    public static final String RESCUED = "_rescued";

    private TableColumns() {}

    /**
     * The spec's declared columns, then where each row came from, then the values of columns the spec lacks, then the
     * columns files added (rule 1.10): a table gains those at its end.
     */
    public static Map<String, String> raw(PipelineSpec spec, SqlDialect dialect) {
        Map<String, String> columns = new LinkedHashMap<>();
        spec.declaredColumns().forEach(c -> columns.put(c, dialect.typeName(spec.typeOf(c))));
        columns.put("_file_id", dialect.typeName(ColumnType.BIGINT));
        columns.put("_file", dialect.typeName(ColumnType.VARCHAR));
        columns.put("_line", dialect.typeName(ColumnType.BIGINT));
        columns.put("_ingested_at", dialect.typeName(ColumnType.TIMESTAMPTZ));
        columns.put(RESCUED, dialect.typeName(ColumnType.VARCHAR));
        spec.addedColumns().forEach(c -> columns.put(c, dialect.typeName(spec.typeOf(c))));
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
     * {@code history_deletes: row}, the delete flag; then the columns files added (rule 1.10), which a table gains at its end.
     */
    public static Map<String, String> history(PipelineSpec spec, SqlDialect dialect) {
        Map<String, String> columns = current(spec, dialect);
        spec.addedColumns().forEach(columns::remove);
        String sequenceType = sequenceType(spec, dialect);
        columns.put(spec.historyColumns().start(), sequenceType);
        columns.put(spec.historyColumns().end(), sequenceType);
        historyFlags(spec).forEach(flag -> columns.put(flag, dialect.typeName(ColumnType.BOOLEAN)));
        spec.addedColumns().stream().filter(c -> !spec.exceptColumns().contains(c))
                .forEach(c -> columns.put(c, dialect.typeName(spec.typeOf(c))));
        return columns;
    }

    /** The history's flag columns, in table order: the current flag, then the delete flag when the spec has one. */
    public static List<String> historyFlags(PipelineSpec spec) {
        List<String> names = spec.historyColumns().names();
        return names.subList(2, names.size());
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
     * A column of a table whose type the spec changed since the table was made, with the type it is to have: widened
     * (rule 1.9), or given to a varchar column files added, whose every value must then read as it (rule 1.11).
     */
    public record TypeChange(String table, String column, String typeName, Kind kind) {
        public enum Kind { WIDEN, PARSE }
    }

    /**
     * Checks the columns a table has against those the spec needs, names and types compared ignoring case. A type the
     * spec widened ({@link ColumnType#widensTo}) is no difference, nor a type it gives a varchar column files added
     * (one of {@code added}, rule 1.11): each is returned, for the engine to migrate the table.
     *
     * @throws ChangepipeException a user error naming the table and the way out: for a narrowed type, the column and
     *     both types; for any other difference, both column lists
     */
    public static List<TypeChange> check(String table, Object warehouse, Map<String, String> have, Map<String, String> want,
            List<String> added, SqlDialect dialect) {
        List<String> haveNames = have.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        List<String> wantNames = want.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        List<String> typeable = added.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        List<TypeChange> changes = new ArrayList<>();
        if (haveNames.equals(wantNames)) {
            List<String> haveTypes = List.copyOf(have.values());
            int i = 0;
            for (Map.Entry<String, String> column : want.entrySet()) {
                String had = haveTypes.get(i++);
                if (had.equalsIgnoreCase(column.getValue())) {
                    continue;
                }
                ColumnType from = columnType(had, dialect);
                ColumnType to = columnType(column.getValue(), dialect);
                if (from != null && to != null && from.widensTo(to)) {
                    changes.add(new TypeChange(table, column.getKey(), column.getValue(), TypeChange.Kind.WIDEN));
                } else if (from == ColumnType.VARCHAR && to != null
                        && typeable.contains(column.getKey().toLowerCase(Locale.ROOT))) {
                    changes.add(new TypeChange(table, column.getKey(), column.getValue(), TypeChange.Kind.PARSE));
                } else if (from != null && to != null && to.widensTo(from)) {
                    throw ChangepipeException.user("column " + column.getKey() + " of table " + table + " in warehouse "
                            + warehouse + " is " + from.specName() + " but the spec says " + to.specName()
                            + ": narrowing a type could change stored values, so it is refused; keep " + from.specName()
                            + " in the spec, or use a new warehouse");
                } else {
                    changes = null;
                    break;
                }
            }
            if (changes != null) {
                return changes;
            }
        }
        throw ChangepipeException.user("table " + table + " in warehouse " + warehouse + " has columns ("
                + String.join(", ", described(have)) + ") but the spec needs (" + String.join(", ", described(want))
                + "); changing the columns of an existing pipeline is not supported, but for widening a type"
                + " (docs/semantics.md rule 1.9), typing a column files added (rule 1.11) and declaring a column"
                + " (rule 1.12): use a new warehouse");
    }

    /**
     * The columns files added (rule 1.10) that a raw table holds: those after {@link #RESCUED}, in table order. A raw
     * table is their record, since a column is added to it first.
     */
    public static List<String> addedColumns(Map<String, String> rawColumns) {
        List<String> names = List.copyOf(rawColumns.keySet());
        int rescued = names.indexOf(RESCUED);
        return rescued < 0 ? List.of() : names.subList(rescued + 1, names.size());
    }

    private static ColumnType columnType(String typeName, SqlDialect dialect) {
        for (ColumnType type : ColumnType.values()) {
            if (dialect.typeName(type).equalsIgnoreCase(typeName)) {
                return type;
            }
        }
        return null;
    }

    private static List<String> described(Map<String, String> columns) {
        return columns.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    }
}
