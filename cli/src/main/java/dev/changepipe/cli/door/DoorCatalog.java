package dev.changepipe.cli.door;

import dev.changepipe.engine.Engine;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The tables the door shows a client's catalog browser: the pipeline's five, with no catalog and no schema, so that
 * the names a tool writes into its queries ({@code SELECT * FROM customer}) are those both engines know. A table's
 * columns are what the engine answers for it, asked when a client asks for them.
 */
final class DoorCatalog {
    static final String TABLE_TYPE = "TABLE";

    private final Engine engine;
    /** Table name to the kind of table it is, in the order a browser lists them. */
    private final Map<String, String> tables = new LinkedHashMap<>();

    DoorCatalog(Engine engine, PipelineSpec spec) {
        this.engine = engine;
        var names = spec.tables();
        tables.put(names.current(), "current state (SCD1)");
        tables.put(names.history(), "history (SCD2)");
        tables.put(names.changes(), "the current table's change feed");
        tables.put(names.raw(), "raw rows as loaded");
        tables.put(names.rejects(), "rejected rows");
    }

    /** The tables whose name matches a JDBC pattern ({@code %} any text, {@code _} one character; null: all). */
    List<String> tables(String namePattern) {
        Pattern pattern = namePattern == null ? null : like(namePattern);
        return tables.keySet().stream().filter(t -> pattern == null || pattern.matcher(t).matches()).toList();
    }

    /** The columns and types of one of the pipeline's tables, as the engine streams them. */
    Schema schema(String table, BufferAllocator allocator) throws IOException {
        try (ArrowReader reader = engine.queryArrow("SELECT * FROM " + Identifier.quote(table) + " LIMIT 0", allocator)) {
            return reader.getVectorSchemaRoot().getSchema();
        }
    }

    private static Pattern like(String pattern) {
        StringBuilder regex = new StringBuilder("(?i)");
        for (char c : pattern.toCharArray()) {
            if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
