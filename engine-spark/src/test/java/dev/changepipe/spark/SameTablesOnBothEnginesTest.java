package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.conformance.AutoCdcExampleConformanceTest;
import dev.changepipe.conformance.PipelineHarness;
import dev.changepipe.conformance.Processing;
import dev.changepipe.conformance.Scenario;
import dev.changepipe.conformance.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented AUTO CDC example, landed file by file in one pipeline per engine: DuckDB and
 * Spark + Delta must give the same current table, the same history and the same change feed rows,
 * compared with each other (the conformance suites compare each with the documented tables).
 */
class SameTablesOnBothEnginesTest {
    @TempDir
    Path workDir;

    @Test
    void theDocumentedExampleGivesTheSameTablesOnDuckDbAndOnSpark() {
        Scenario example = AutoCdcExampleConformanceTest.documented();
        Tables duckdb = run(example, "duckdb", Map.of());
        Tables spark = run(example, "spark", SparkTestEngine.OPTIONS);
        assertThat(spark.current()).as("current table").isEqualTo(duckdb.current());
        assertThat(spark.history()).as("history table").isEqualTo(duckdb.history());
        assertThat(spark.feed()).as("change feed rows").isEqualTo(duckdb.feed());
        assertThat(duckdb.current().rows()).as("the example's current table").hasSize(3);
        assertThat(duckdb.history().rows()).as("the example's history").hasSize(7);
    }

    private record Tables(Table current, Table history, List<String> feed) {}

    private Tables run(Scenario scenario, String engine, Map<String, Object> options) {
        try (PipelineHarness pipeline = PipelineHarness.open(workDir.resolve(engine), scenario.spec(), engine, options)) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            List<String> feed = pipeline.engine().readChangeFeed("compare", Integer.MAX_VALUE).changes().stream()
                    .map(change -> change.changeType() + " " + change.values())
                    .sorted()
                    .toList();
            return new Tables(pipeline.current(), pipeline.history(), feed);
        }
    }
}
