package dev.changepipe.spark;

import java.util.Map;

/**
 * The engine block of every Spark test: local mode on two cores, loopback only, one Spark application
 * per test JVM. Tests move a few rows at a time, where compiling each plan to Java and collecting
 * column statistics on every write cost more than they save (about a fifth of a test's time here);
 * neither changes a result, so the tests switch both off.
 */
final class SparkTestEngine {
    static final Map<String, Object> OPTIONS = Map.of("master", "local[2]", "conf", Map.of(
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.sql.codegen.wholeStage", "false",
            "spark.databricks.delta.stats.collect", "false"));

    private SparkTestEngine() {}
}
