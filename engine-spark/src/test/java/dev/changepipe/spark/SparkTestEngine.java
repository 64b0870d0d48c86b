package dev.changepipe.spark;

import java.util.Map;

/**
 * The engine block of every Spark test: local mode on two cores, loopback only, one Spark application
 * per test JVM.
 *
 * <p>Joins are never broadcast: a table of a few rows would be, while a table of production size is
 * joined by sort-merge, and the tests must run the plans that large tables get (a sort-merge plan
 * once exposed a wrong history that broadcast plans hid). The other settings fit a few rows at a time
 * and change no result: one partition for shuffles, for reading a Delta log and by default (a few
 * rows need no more); expressions interpreted rather than compiled to Java (each statement binds its
 * offsets as literals, so each would compile new code, which takes longer than evaluating a few
 * rows); no adaptive re-planning between stages and no column statistics on every write.
 */
final class SparkTestEngine {
    static final Map<String, Object> OPTIONS = Map.of("master", "local[2]", "conf", Map.ofEntries(
            Map.entry("spark.driver.host", "127.0.0.1"),
            Map.entry("spark.driver.bindAddress", "127.0.0.1"),
            Map.entry("spark.sql.autoBroadcastJoinThreshold", "-1"),
            Map.entry("spark.default.parallelism", "1"),
            Map.entry("spark.sql.shuffle.partitions", "1"),
            Map.entry("spark.databricks.delta.snapshotPartitions", "1"),
            Map.entry("spark.sql.codegen.wholeStage", "false"),
            Map.entry("spark.sql.codegen.factoryMode", "NO_CODEGEN"),
            Map.entry("spark.sql.adaptive.enabled", "false"),
            Map.entry("spark.databricks.delta.stats.collect", "false")));

    private SparkTestEngine() {}
}
