package dev.changepipe.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rescued values that became table columns (docs/semantics.md rule 1.12), moved out of the raw rows' {@code _rescued}:
 * each row's value for a column is the rescued field whose key matches it ignoring case, read as the column's type as
 * a file's field would be (rule 1.6), and the field leaves the row's {@code _rescued}, which core writes again byte for
 * byte as the reader would have (NULL when nothing is left).
 */
public final class RescuedBackfill {
    private static final JsonFactory JSON = new JsonFactory();

    /** A raw row as stored: where it came from and its {@code _rescued} text. */
    public record StoredRow(long fileId, String file, long line, String rescued) {}

    /** A raw row's {@code _rescued} after the move (null when nothing is left) and its values of the columns, in order. */
    public record FilledRow(long fileId, long line, String rescued, List<Object> values) {}

    private RescuedBackfill() {}

    /** The keys of a row's rescued fields, in the order the file's header had them. */
    public static List<String> keys(String rescued) {
        return List.copyOf(fields(rescued).keySet());
    }

    /**
     * The rows whose rescued values hold any of {@code columns}, with those values moved into the columns; rows that
     * hold none are left out, since they change not at all.
     *
     * @param table the raw table's name, for the error
     * @throws ChangepipeException a user error naming the file, line, column and value when a value does not read as its
     *     column's type: the start is refused and nothing changes
     */
    public static List<FilledRow> fill(String table, Map<String, ColumnType> columns, List<StoredRow> rows) {
        List<String> names = List.copyOf(columns.keySet());
        List<String> folded = names.stream().map(Identifier::fold).toList();
        List<FilledRow> filled = new ArrayList<>();
        for (StoredRow row : rows) {
            Map<String, String> fields = fields(row.rescued());
            Object[] values = new Object[names.size()];
            boolean moved = false;
            List<String> keys = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (Map.Entry<String, String> field : fields.entrySet()) {
                int column = folded.indexOf(Identifier.fold(field.getKey()));
                if (column < 0) {
                    keys.add(field.getKey());
                    texts.add(field.getValue());
                    continue;
                }
                moved = true;
                values[column] = field.getValue() == null ? null
                        : read(table, names.get(column), columns.get(names.get(column)), row, field.getValue());
            }
            if (moved) {
                filled.add(new FilledRow(row.fileId(), row.line(), RescuedValues.json(keys.size(), keys::get, texts::get),
                        Arrays.asList(values)));
            }
        }
        return filled;
    }

    private static Object read(String table, String column, ColumnType type, StoredRow row, String text) {
        try {
            return type.parse(text);
        } catch (RuntimeException e) {
            throw ChangepipeException.user("column " + column + " of table " + table + " cannot take the values files"
                    + " brought for it before the spec declared it: " + row.file() + " line " + row.line() + " has '"
                    + ChangepipeException.abbreviated(text) + "' (in _rescued), which cannot be read as " + type.specName() + " (rule 1.12);"
                    + " declare it as varchar, or as a type every such value reads as");
        }
    }

    /** A {@code _rescued} text's fields in order, each key with its text or null; core wrote it, so it is an object of strings. */
    private static Map<String, String> fields(String rescued) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(rescued)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                JsonToken value = json.nextToken();
                fields.put(key, value == JsonToken.VALUE_NULL ? null : json.getValueAsString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("a _rescued value that changepipe did not write: " + rescued, e);
        }
        return fields;
    }
}
