package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every conformance suite shares. An engine runs a suite by extending it and naming its type:
 *
 * <pre>
 * class DuckDbScd2Test extends Scd2ConformanceTest {
 *     &#64;Override
 *     protected String engineType() {
 *         return "duckdb";
 *     }
 * }
 * </pre>
 *
 * Each test opens real pipelines ({@link PipelineHarness}) in its own temporary folder.
 */
public abstract class ConformanceSuite {

    @TempDir
    protected Path workDir;

    private int pipelines;

    /** The {@code engine.type} of the engine under test; its factory must be on the test class path. */
    protected abstract String engineType();

    /** Options for the spec's {@code engine:} block besides {@code type} and {@code path}. */
    protected Map<String, Object> engineOptions() {
        return Map.of();
    }

    /** A new pipeline in a folder of its own; the caller closes it. */
    protected PipelineHarness openPipeline(String specBody) {
        pipelines++;
        return PipelineHarness.open(workDir.resolve("pipeline-" + pipelines), specBody, engineType(), engineOptions());
    }

    /**
     * Whether a scenario of several files runs every way of processing it, and the suites' other
     * variants of one case (orders of one split) all run: {@code -Dchangepipe.conformance.every-variant}, true
     * unless an engine's build says otherwise. An engine whose pipeline costs tens of seconds (Spark)
     * runs each scenario one way, picked from its name, so that the suite still runs both ways across
     * its scenarios; every rule's cases still run on it, and every variant runs on the engines that keep
     * the default, over the same plans.
     */
    protected static final boolean EVERY_VARIANT =
            Boolean.parseBoolean(System.getProperty("changepipe.conformance.every-variant", "true"));

    /**
     * Runs the scenario in a new pipeline for each way of processing it (both when it has several
     * files, unless {@link #EVERY_VARIANT} is off) and checks its expected tables and the invariants of
     * every history.
     */
    protected void assertScenario(Scenario scenario) {
        List<Processing> ways = scenario.files().size() <= 1 ? List.of(Processing.AT_ONCE)
                : EVERY_VARIANT ? List.of(Processing.values())
                : List.of(Processing.values()[Math.floorMod(scenario.name().hashCode(), Processing.values().length)]);
        for (Processing processing : ways) {
            assertScenario(scenario, processing);
        }
    }

    /** Runs the scenario in a new pipeline, processed as {@code processing}, and checks it. */
    protected void assertScenario(Scenario scenario, Processing processing) {
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), processing);
            assertExpectedTables(pipeline, scenario, scenario + "processed " + processing);
        }
    }

    /** The scenario's expected tables (those it gives) and the history invariants. */
    protected static void assertExpectedTables(PipelineHarness pipeline, Scenario scenario, String context) {
        PipelineSpec spec = pipeline.spec();
        // Each table is read once: a read is a Spark job on the scale-out engine.
        Table current = pipeline.current();
        Table history = pipeline.history();
        if (scenario.current() != null) {
            assertThat(current)
                    .as("current table of %s", context)
                    .isEqualTo(scenario.current().sortedBy(spec.keys()));
        }
        if (scenario.history() != null) {
            List<String> order = new ArrayList<>(spec.keys());
            if (scenario.history().columns().contains(spec.historyColumns().start())) {
                order.add(spec.historyColumns().start());
            }
            Table expected = scenario.history().resolve(pipeline.ingestionTimeLookup());
            assertThat(history.project(expected.columns()).sortedBy(order))
                    .as("history table of %s", context)
                    .isEqualTo(expected.sortedBy(order));
        }
        assertHistoryInvariants(spec, current, history, context);
    }

    /**
     * What holds of every history, whatever the input: {@code is_current} exactly when {@code end}
     * is the open end, NULL or {@code history_columns.open_end}, and the row is no delete row (rules 5.3, 5.6,
     * 5.7); a key's versions start
     * before they end and do not overlap, so at most one is current; and the current table equals the
     * current rows of the history (rule 5.5).
     */
    protected static void assertHistoryInvariants(PipelineHarness pipeline, String context) {
        assertHistoryInvariants(pipeline.engine().shape(), pipeline.current(), pipeline.history(), context);
    }

    private static void assertHistoryInvariants(PipelineSpec spec, Table current, Table history, String context) {
        String start = spec.historyColumns().start();
        String end = spec.historyColumns().end();
        String isCurrent = spec.historyColumns().current();
        // An open version's end: NULL, or history_columns.open_end (rule 5.6).
        String openEnd = spec.historyColumns().openEnd().map(Canonical::of).orElse(null);
        // A delete row (history_deletes: row, rule 5.7) may be open yet is never current.
        String deleted = spec.historyColumns().deleted().orElse(null);
        Map<List<String>, String> lastEndByKey = new HashMap<>();
        for (List<String> row : history.rows()) {
            Map<String, String> cells = new HashMap<>();
            for (int i = 0; i < history.columns().size(); i++) {
                cells.put(history.columns().get(i), row.get(i));
            }
            boolean deleteRow = deleted != null && "true".equals(cells.get(deleted));
            assertThat(cells.get(isCurrent))
                    .as("%s of history row %s of %s (rule 5.3: is_current exactly when end is the open end, %s,"
                            + " and the row is no delete row)", isCurrent, row, context, openEnd)
                    .isEqualTo(String.valueOf(Objects.equals(cells.get(end), openEnd) && !deleteRow));
            assertThat(cells.get(start)).as("start of history row %s of %s", row, context).isNotNull();
            if (cells.get(end) != null) {
                assertThat(Canonical.compare(cells.get(start), cells.get(end)))
                        .as("history row %s of %s must start before it ends", row, context)
                        .isLessThan(0);
            }
            List<String> key = spec.keys().stream().map(cells::get).toList();
            // Rows are sorted by key then start: each version must begin at or after the previous one's end.
            if (lastEndByKey.containsKey(key)) {
                String previousEnd = lastEndByKey.get(key);
                assertThat(previousEnd)
                        .as("history of key %s in %s: a version follows a version that never ends", key, context)
                        .isNotNull()
                        .isNotEqualTo(openEnd);
                assertThat(Canonical.compare(previousEnd, cells.get(start)))
                        .as("history of key %s in %s: versions overlap at row %s", key, context, row)
                        .isLessThanOrEqualTo(0);
            }
            lastEndByKey.put(key, cells.get(end));
        }
        Table currentRowsOfHistory = history.where(isCurrent, "true")
                .project(ReferenceModel.currentColumns(spec))
                .sortedBy(spec.keys());
        assertThat(current)
                .as("current table of %s must equal the current rows of its history (rule 5.5)", context)
                .isEqualTo(currentRowsOfHistory);
    }
}
