package dev.changepipe.spec;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which engine runs the pipeline and where it keeps its data. {@code options} holds the engine's own
 * settings (everything in the {@code engine:} block but {@code type} and {@code path}); the engine's
 * factory validates them. {@code location} is the folder as a string, or the URI as written when
 * {@code path} names a file system of a cluster engine.
 */
public record EngineSpec(String type, Path path, String location, Map<String, Object> options) {
    public EngineSpec {
        options = Map.copyOf(options);
    }

    /** An engine at a local folder. */
    public EngineSpec(String type, Path path, Map<String, Object> options) {
        this(type, path, path.toString(), options);
    }

    /** Whether {@code path} was written as a URI ({@code s3a://…}, {@code hdfs://…}); {@link #path} is then null. */
    public boolean isUri() {
        return path == null;
    }
}
