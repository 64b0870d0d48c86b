package dev.changepipe.engine;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A type the spec gives a varchar column files added (docs/semantics.md rule 1.11): every value a table holds in it, read
 * as that type by core as a file's field would be (rule 1.6), so that each engine stores what the reader would have.
 */
public final class ColumnRetyping {
    /** A stored value of the column: where it came from (a raw row's file and line; no file in other tables) and its text. */
    public record StoredText(String file, long line, String text) {}

    private ColumnRetyping() {}

    /**
     * Each distinct text with its value as {@code type}, in the order first met.
     *
     * @throws ChangepipeException a user error naming the table, column, file, line and value of the first text that
     *     does not read as {@code type}: the start is refused and nothing changes
     */
    public static Map<String, Object> typedValues(String table, String column, ColumnType type, Iterable<StoredText> texts) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (StoredText stored : texts) {
            if (stored.text() == null || values.containsKey(stored.text())) {
                continue;
            }
            try {
                values.put(stored.text(), type.parse(stored.text()));
            } catch (RuntimeException e) {
                String where = stored.file() == null ? "a row holds" : stored.file() + " line " + stored.line() + " has";
                throw ChangepipeException.user("column " + column + " of table " + table + " cannot be typed "
                        + type.specName() + " as the spec now says: " + where + " '" + ChangepipeException.abbreviated(stored.text())
                        + "', which cannot be read as " + type.specName() + " (rule 1.11); keep it varchar, or give it a"
                        + " type every stored value reads as");
            }
        }
        return values;
    }
}
