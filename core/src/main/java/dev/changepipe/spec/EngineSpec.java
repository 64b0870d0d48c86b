package dev.changepipe.spec;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which engine runs the pipeline and where it keeps its data. {@code options} holds the engine's own
 * settings (everything in the {@code engine:} block but {@code type} and {@code path}); the engine's
 * factory validates them.
 */
public record EngineSpec(String type, Path path, Map<String, Object> options) {
    public EngineSpec {
        options = Map.copyOf(options);
    }
}
