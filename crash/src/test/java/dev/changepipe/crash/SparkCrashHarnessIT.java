package dev.changepipe.crash;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.changepipe.fault.FaultPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * The crash harness on Spark with Delta tables, in local mode on two cores. A cold Spark child costs about 40 s, so
 * a CI run kills as often as there are points Spark reaches, plus the two SIGKILLs every run owes (about 14 child
 * starts with the reference and final runs); {@code -Dchangepipe.crash.spark.kills=30} runs a longer schedule.
 */
class SparkCrashHarnessIT extends CrashHarness {
    /** The flags the launcher starts Spark with, as an argument file for {@code java} (set by the module's pom). */
    private static final String OPTIONS_FILE = System.getProperty("changepipe.spark.jvm.options.file", "");

    @BeforeEach
    void sparkOptionsAreBuilt() {
        assumeTrue(!OPTIONS_FILE.isEmpty() && Files.isRegularFile(Path.of(OPTIONS_FILE)),
                "engine-spark's target/launcher/jvm.options is not built (" + OPTIONS_FILE + "): build through the reactor");
    }

    @Override
    String engineType() {
        return "spark";
    }

    /**
     * Local mode on two cores, settings for a few hundred rows at a time that change no result (one partition for
     * shuffles and for the Delta log, expressions interpreted rather than compiled, no adaptive re-planning, no column
     * statistics), as engine-spark's own tests use.
     */
    @Override
    String engineBlock() {
        return """
                {type: spark, path: warehouse, master: "local[2]", conf: {\
                spark.sql.shuffle.partitions: "1", spark.default.parallelism: "1", \
                spark.databricks.delta.snapshotPartitions: "1", spark.sql.codegen.wholeStage: "false", \
                spark.sql.codegen.factoryMode: NO_CODEGEN, spark.sql.adaptive.enabled: "false", \
                spark.databricks.delta.stats.collect: "false"}}""";
    }

    /**
     * C1 only, as the DuckDB children: a child lives for a few cycles, too short for C2's code to repay its compiling
     * (a cold {@code run --once} of one small file on a busy 2-core machine: 147 s of CPU with C2, 92 s without). C1
     * alone reserves 48 MB for compiled code, which Spark fills; past it the JVM stops compiling, so it gets 512 MB.
     */
    @Override
    List<String> childJvmOptions() {
        return List.of("@" + OPTIONS_FILE, "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=512m", "-XX:+UseSerialGC",
                "-Xmx1g");
    }

    /** Every point Spark reaches once, and the SIGKILLs every run owes. */
    @Override
    int defaultKills() {
        return (int) Arrays.stream(FaultPoint.values()).filter(p -> p.reachedOn("spark")).count() + sigkillsAtLeast();
    }

    @Override
    int fewestFiles() {
        return 6;
    }

    /** A cold child takes about 40 s on two busy cores. */
    @Override
    Duration stuck() {
        return Duration.ofMinutes(5);
    }
}
