package dev.changepipe.duckdb;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.EngineFactory;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import java.util.regex.Pattern;

/**
 * The embedded default: {@code engine: {type: duckdb, path: warehouse, memory_limit: 2GB}} keeps everything in
 * one DuckDB file.
 */
public final class DuckDbEngineFactory implements EngineFactory {
    @Override
    public String type() {
        return "duckdb";
    }

    /**
     * What DuckDB may hold in memory when {@code engine.memory_limit} is not given. DuckDB's own default
     * is 80% of the machine's memory, which an embedded pipeline beside other programs should not take;
     * past the limit DuckDB spills to {@code warehouse.duckdb.tmp} beside the database file.
     */
    static final String DEFAULT_MEMORY_LIMIT = "2GB";
    private static final Pattern SIZE = Pattern.compile("[0-9]+(\\.[0-9]+)? ?([KMGT]i?B|B)", Pattern.CASE_INSENSITIVE);

    @Override
    public Engine create(PipelineSpec spec) {
        for (String field : spec.engine().options().keySet()) {
            if (!field.equals("memory_limit")) {
                throw ChangepipeException.user("engine." + field
                        + ": unknown option for the duckdb engine; it takes type, path and memory_limit");
            }
        }
        if (spec.engine().isUri()) {
            throw ChangepipeException.user("engine.path: the duckdb engine keeps its warehouse in a local folder, not at "
                    + spec.engine().location());
        }
        return DuckDbEngine.open(spec, memoryLimit(spec.engine().options().get("memory_limit")));
    }

    /** A size as DuckDB reads it ({@code 2GB}, {@code 512MiB}); checked here, so that only these characters reach its SET. */
    private static String memoryLimit(Object value) {
        if (value == null) {
            return DEFAULT_MEMORY_LIMIT;
        }
        if (!(value instanceof String text) || !SIZE.matcher(text.strip()).matches()) {
            throw ChangepipeException.user("engine.memory_limit: '" + value
                    + "' is not a size such as 2GB, 512MB or 1.5GiB");
        }
        return text.strip();
    }
}
