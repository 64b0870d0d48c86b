package dev.changepipe.cli;

import dev.changepipe.spec.Durations;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The built-in customer pipeline ({@code customer-pipeline.yaml}), written where the demo and the benchmark need it. */
public final class BuiltInSpec {
    static final String RESOURCE = "customer-pipeline.yaml";
    /** The same customers as full dumps (docs/semantics.md §7): the original project's files, for {@code demo --snapshot}. */
    static final String SNAPSHOT_RESOURCE = "customer-snapshot-pipeline.yaml";
    private static final String DEFAULT_SETTLE = "settle: 200ms";
    private static final String DEFAULT_ENGINE = "engine: {type: duckdb, path: warehouse}";
    private static final String DEFAULT_LANDING = "landing: landing";

    private BuiltInSpec() {}

    /** Writes {@code dir/pipeline.yaml}; its landing folder and warehouse are {@code dir/landing} and {@code dir/warehouse}. */
    public static Path write(Path dir) throws IOException {
        return write(dir, RESOURCE);
    }

    /** {@link #write(Path)} of the snapshot pipeline. */
    public static Path writeSnapshots(Path dir) throws IOException {
        return write(dir, SNAPSHOT_RESOURCE);
    }

    private static Path write(Path dir, String resource) throws IOException {
        Files.createDirectories(dir);
        Path specFile = dir.resolve("pipeline.yaml");
        try (InputStream in = BuiltInSpec.class.getResourceAsStream(resource)) {
            Files.write(specFile, in.readAllBytes());
        }
        return specFile;
    }

    /**
     * {@link #write(Path)} with the landing zone in a bucket: {@code landing: s3://...} and its {@code s3:} block
     * (the demo's own store on loopback; no credentials, which the demo hands its clients directly).
     */
    public static Path writeForBucket(Path dir, S3Uri landing, S3Settings s3) throws IOException {
        String block = "landing: " + landing + "\ns3: {endpoint: \"" + s3.endpoint().orElseThrow() + "\", path_style: "
                + s3.pathStyle() + ", list_every: " + Durations.format(s3.listEvery()) + "}";
        return replace(write(dir), RESOURCE, DEFAULT_LANDING, block);
    }

    /** {@link #write(Path)} with another {@code schedule.settle}: the benchmark's generator renames files into place, so none is ever half-written. */
    public static Path write(Path dir, Duration settle) throws IOException {
        return replace(write(dir), RESOURCE, DEFAULT_SETTLE, "settle: " + Durations.format(settle));
    }

    /** {@link #write(Path, Duration)} with another {@code engine:} block, given as YAML flow mapping text. */
    public static Path write(Path dir, Duration settle, String engineBlock) throws IOException {
        return replace(write(dir, settle), RESOURCE, DEFAULT_ENGINE, "engine: " + engineBlock);
    }

    /** {@link #writeSnapshots(Path)} with another settle and engine block, as {@link #write(Path, Duration, String)}. */
    public static Path writeSnapshots(Path dir, Duration settle, String engineBlock) throws IOException {
        Path specFile = replace(writeSnapshots(dir), SNAPSHOT_RESOURCE, DEFAULT_SETTLE, "settle: " + Durations.format(settle));
        return replace(specFile, SNAPSHOT_RESOURCE, DEFAULT_ENGINE, "engine: " + engineBlock);
    }

    private static Path replace(Path specFile, String resource, String line, String with) throws IOException {
        String text = Files.readString(specFile);
        if (!text.contains(line)) {
            throw new IllegalStateException(resource + " no longer says '" + line + "'");
        }
        Files.writeString(specFile, text.replace(line, with));
        return specFile;
    }
}
