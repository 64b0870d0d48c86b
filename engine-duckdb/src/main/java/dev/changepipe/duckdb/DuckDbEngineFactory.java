package dev.changepipe.duckdb;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.EngineFactory;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;

/** The embedded default: {@code engine: {type: duckdb, path: warehouse}} keeps everything in one DuckDB file. */
public final class DuckDbEngineFactory implements EngineFactory {
    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public Engine create(PipelineSpec spec) {
        if (!spec.engine().options().isEmpty()) {
            String field = spec.engine().options().keySet().iterator().next();
            throw ChangepipeException.user("engine." + field + ": unknown option for the duckdb engine; it takes only type and path");
        }
        if (spec.engine().isUri()) {
            throw ChangepipeException.user("engine.path: the duckdb engine keeps its warehouse in a local folder, not at "
                    + spec.engine().location());
        }
        return DuckDbEngine.open(spec);
    }
}
