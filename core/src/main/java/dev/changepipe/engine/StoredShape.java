package dev.changepipe.engine;

import dev.changepipe.csv.RescuedBackfill;
import dev.changepipe.csv.RescuedBackfill.FilledRow;
import dev.changepipe.csv.RescuedBackfill.StoredRow;
import dev.changepipe.engine.ColumnRetyping.StoredText;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SchemaPolicy;
import dev.changepipe.sql.SqlDialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What start makes of a raw table an earlier spec made, so that the tables are those this spec makes of the same files
 * (docs/semantics.md rules 1.10–1.12): the columns files added, which the raw table records; a column the spec declares
 * that the tables lack, and under {@code schema.new_columns: add} a rescued one, join the tables, filled from the raw
 * rows' rescued values; a varchar column files added that the spec now types takes each value's reading as that type.
 * Everything is read and checked before an engine changes anything, so a value that does not fit refuses the start and
 * leaves the tables as they were.
 *
 * @param spec the spec with every column that joined the tables (rule 1.10), as the engine is to run it
 * @param joining the columns the tables lack yet, in the tables' order: declared later or rescued ones to add (rule 1.12)
 * @param filled the raw rows whose rescued values move into columns, with the columns' values in {@code filledColumns} order
 * @param filledColumns the columns {@code filled} gives values of
 * @param retyped for each varchar column files added that the spec now types (rule 1.11), each raw text with its value
 */
public record StoredShape(PipelineSpec spec, List<String> joining, List<FilledRow> filled, List<String> filledColumns,
        Map<String, Map<String, Object>> retyped) {

    /** The key core's reader gives the rescued field of an unnamed header column: never a column's name. */
    private static final Pattern UNNAMED = Pattern.compile("_c[0-9]+");

    public StoredShape {
        joining = List.copyOf(joining);
        filled = List.copyOf(filled);
        filledColumns = List.copyOf(filledColumns);
        retyped = Map.copyOf(retyped);
    }

    /** What an engine reads of its raw table for this; each only when the spec may need it. */
    public interface RawReads {
        /** The distinct keys of the raw table's {@code _rescued} values, as spelled. */
        Set<String> rescuedKeys();

        /** The raw rows that have {@code _rescued}, in load order (file id, then line). */
        List<StoredRow> rescuedRows();

        /** The column's non-NULL values with each row's file and line, in load order. */
        List<StoredText> texts(String column);
    }

    /**
     * Whether raw values change, so that the current and history tables are to be derived from the raw table again for
     * every key, as if the spec had said so from the first file.
     */
    public boolean rederives() {
        return !filled.isEmpty() || !retyped.isEmpty();
    }

    /**
     * @param rawColumns the raw table's columns and type names, in table order
     * @throws ChangepipeException a user error when a key or the sequence column is declared for tables that lack it, or
     *     a stored value does not read as the type the spec gives its column
     */
    public static StoredShape of(PipelineSpec spec, Map<String, String> rawColumns, RawReads reads, SqlDialect dialect) {
        Map<String, String> rawTypes = new LinkedHashMap<>();
        rawColumns.forEach((name, type) -> rawTypes.put(Identifier.fold(name), type));
        String raw = spec.tables().raw();
        List<String> declaredLater = spec.declaredColumns().stream()
                .filter(c -> !rawTypes.containsKey(Identifier.fold(c))).toList();
        for (String column : declaredLater) {
            if (spec.keys().contains(column) || spec.sequenceBy().map(column::equals).orElse(false)) {
                throw ChangepipeException.user("column " + column + " is declared but table " + raw + " has no such"
                        + " column: a key or the sequence_by column cannot join a pipeline's tables, since the rows"
                        + " loaded have no value for it (rule 1.12); use a new warehouse");
            }
        }
        PipelineSpec shaped = spec.withAddedColumns(
                Stream.concat(TableColumns.addedColumns(rawColumns).stream(), declaredLater.stream()).toList());
        List<String> joining = new ArrayList<>(declaredLater);
        List<FilledRow> filled = List.of();
        List<String> filledColumns = List.of();
        boolean adding = spec.schema().newColumns() == SchemaPolicy.NewColumns.ADD;
        if (adding || !declaredLater.isEmpty()) {
            Set<String> keys = reads.rescuedKeys().stream().filter(k -> !UNNAMED.matcher(k).matches())
                    .map(Identifier::fold).collect(Collectors.toSet());
            PipelineSpec known = shaped;
            Set<String> columns = known.columns().keySet().stream().map(Identifier::fold).collect(Collectors.toSet());
            if (keys.stream().anyMatch(k -> columns.contains(k) || adding && known.cannotAdd(k).isEmpty())) {
                List<StoredRow> rows = reads.rescuedRows();
                List<String> added = adding ? rescuedToAdd(shaped, rows) : List.of();
                joining.addAll(added);
                shaped = shaped.withAddedColumns(added);
                Map<String, ColumnType> moved = new LinkedHashMap<>();
                for (String column : shaped.columns().keySet()) {
                    if (keys.contains(Identifier.fold(column))) {
                        moved.put(column, shaped.typeOf(column));
                    }
                }
                filled = RescuedBackfill.fill(raw, moved, rows);
                filledColumns = List.copyOf(moved.keySet());
            }
        }
        Map<String, Map<String, Object>> retyped = new LinkedHashMap<>();
        for (String column : shaped.addedColumns()) {
            String had = rawTypes.get(Identifier.fold(column));
            ColumnType type = shaped.typeOf(column);
            if (had != null && type != ColumnType.VARCHAR && had.equalsIgnoreCase(dialect.typeName(ColumnType.VARCHAR))) {
                retyped.put(column, ColumnRetyping.typedValues(raw, column, type, reads.texts(column)));
            }
        }
        return new StoredShape(shaped, joining, filled, filledColumns, retyped);
    }

    /** The rescued keys that can be columns and are none yet, as first spelled in load order, each once. */
    private static List<String> rescuedToAdd(PipelineSpec spec, List<StoredRow> rows) {
        Set<String> seen = spec.columns().keySet().stream().map(Identifier::fold).collect(Collectors.toSet());
        List<String> added = new ArrayList<>();
        for (StoredRow row : rows) {
            for (String key : RescuedBackfill.keys(row.rescued())) {
                if (!UNNAMED.matcher(key).matches() && spec.cannotAdd(key).isEmpty() && seen.add(Identifier.fold(key))) {
                    added.add(key);
                }
            }
        }
        return added;
    }
}
