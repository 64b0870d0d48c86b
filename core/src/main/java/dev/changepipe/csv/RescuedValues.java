package dev.changepipe.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The fields of a file's columns that the spec does not declare, kept per row as JSON text for the raw table's
 * {@code _rescued} column (docs/semantics.md §1.8): an object whose keys are the header's names in header order and
 * whose values are the fields as written, text, with the CSV NULL text as JSON null. Core writes the text, so it is
 * the same bytes on every engine.
 */
final class RescuedValues {
    private static final JsonFactory JSON = new JsonFactory();

    private final List<Integer> positions = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    /** The key of an unnamed header column at {@code position} (0-based), as Spark names such columns. */
    static String unnamed(int position) {
        return "_c" + position;
    }

    void add(int position, String key) {
        positions.add(position);
        keys.add(key);
    }

    boolean isEmpty() {
        return positions.isEmpty();
    }

    /** The key of the first rescued field that held bytes that are not UTF-8, or null. */
    String firstInvalid(CsvRecord record) {
        for (int i = 0; i < positions.size(); i++) {
            if (record.getField(positions.get(i)).indexOf('\uFFFD') >= 0) {
                return keys.get(i);
            }
        }
        return null;
    }

    /** The row's rescued fields as JSON text; null when every one of them is NULL, since then there is nothing to keep. */
    String json(CsvRecord record, String nullText) {
        return json(positions.size(), keys::get, i -> {
            String text = record.getField(positions.get(i));
            return text.equals(nullText) ? null : text;
        });
    }

    /**
     * Fields as JSON text, {@code size} of them, each with its key and its text (null for the CSV NULL); null when every
     * text is null or there are none.
     */
    static String json(int size, IntFunction<String> keyAt, IntFunction<String> textAt) {
        boolean any = false;
        for (int i = 0; i < size && !any; i++) {
            any = textAt.apply(i) != null;
        }
        if (!any) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (int i = 0; i < size; i++) {
                String text = textAt.apply(i);
                json.writeFieldName(keyAt.apply(i));
                if (text == null) {
                    json.writeNull();
                } else {
                    json.writeString(text);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
