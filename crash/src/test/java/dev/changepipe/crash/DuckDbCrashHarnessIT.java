package dev.changepipe.crash;

import java.time.Duration;
import java.util.List;

/**
 * The crash harness on the embedded engine: 50 kills by default ({@code -Dchangepipe.crash.duckdb.kills}), a child
 * taking about two seconds.
 */
class DuckDbCrashHarnessIT extends CrashHarness {
    @Override
    String engineType() {
        return "duckdb";
    }

    @Override
    String engineBlock() {
        return "{type: duckdb, path: warehouse}";
    }

    /**
     * A child lives about a second: the client compiler and the serial collector start fastest, which is most of its
     * cost; neither changes what the pipeline does.
     */
    @Override
    List<String> childJvmOptions() {
        return List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m");
    }

    @Override
    int defaultKills() {
        return 50;
    }

    @Override
    int fewestFiles() {
        return 12;
    }

    /** A whole run takes about two seconds. */
    @Override
    Duration stuck() {
        return Duration.ofSeconds(60);
    }
}
