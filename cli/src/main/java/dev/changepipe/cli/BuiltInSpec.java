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
    private static final String DEFAULT_SETTLE = "settle: 200ms";
    private static final String DEFAULT_ENGINE = "engine: {type: duckdb, path: warehouse}";
    private static final String DEFAULT_LANDING = "landing: landing";

    private BuiltInSpec() {}

    /** Writes {@code dir/pipeline.yaml}; its landing folder and warehouse are {@code dir/landing} and {@code dir/warehouse}. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path specFile = dir.resolve("pipeline.yaml");
        try (InputStream in = BuiltInSpec.class.getResourceAsStream(RESOURCE)) {
            Files.write(specFile, in.readAllBytes());
        }
        return specFile;
    }

    /**
     * {@link #write(Path)} with the landing zone in a bucket: {@code landing: s3://...} and its {@code s3:} block
     * (the demo's own store on loopback; no credentials, which the demo hands its clients directly).
     */
    public static Path writeForBucket(Path dir, S3Uri landing, S3Settings s3) throws IOException {
        Path specFile = write(dir);
        String text = Files.readString(specFile);
        if (!text.contains(DEFAULT_LANDING)) {
            throw new IllegalStateException(RESOURCE + " no longer says '" + DEFAULT_LANDING + "'");
        }
        String block = "landing: " + landing + "\ns3: {endpoint: \"" + s3.endpoint().orElseThrow() + "\", path_style: "
                + s3.pathStyle() + ", list_every: " + Durations.format(s3.listEvery()) + "}";
        Files.writeString(specFile, text.replace(DEFAULT_LANDING, block));
        return specFile;
    }

    /** {@link #write(Path)} with another {@code schedule.settle}: the benchmark's generator renames files into place, so none is ever half-written. */
    public static Path write(Path dir, Duration settle) throws IOException {
        Path specFile = write(dir);
        String text = Files.readString(specFile);
        if (!text.contains(DEFAULT_SETTLE)) {
            throw new IllegalStateException(RESOURCE + " no longer says '" + DEFAULT_SETTLE + "'");
        }
        Files.writeString(specFile, text.replace(DEFAULT_SETTLE, "settle: " + Durations.format(settle)));
        return specFile;
    }

    /** {@link #write(Path, Duration)} with another {@code engine:} block, given as YAML flow mapping text. */
    public static Path write(Path dir, Duration settle, String engineBlock) throws IOException {
        Path specFile = write(dir, settle);
        String text = Files.readString(specFile);
        if (!text.contains(DEFAULT_ENGINE)) {
            throw new IllegalStateException(RESOURCE + " no longer says '" + DEFAULT_ENGINE + "'");
        }
        Files.writeString(specFile, text.replace(DEFAULT_ENGINE, "engine: " + engineBlock));
        return specFile;
    }
}
