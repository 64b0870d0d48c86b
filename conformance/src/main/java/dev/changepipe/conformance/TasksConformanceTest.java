package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Rule 6 of docs/semantics.md: tasks run in order when files land, skip when they have no new input,
 * are recorded in the task history, and consume the raw table through offsets of their own. Reads
 * the task history and offsets through {@code Engine.status()}, whose sections every engine provides.
 */
public abstract class TasksConformanceTest extends ConformanceSuite {

    @Test
    void eachTaskThatDidWorkIsRecordedAndATaskWithoutNewInputIsSkipped() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.runUntilIdle();
            List<List<Object>> runs = column(pipeline, "Task history", "task", "status", "rows_in", "rows_out");
            assertThat(runs).containsExactlyInAnyOrder(
                    List.of("ingest", "succeeded", 1L, 2L),
                    List.of("current", "succeeded", 2L, 2L),
                    List.of("history", "succeeded", 2L, 2L));

            pipeline.runUntilIdle();
            assertThat(pipeline.engine().applyCurrent().isSkipped()).isTrue();
            assertThat(pipeline.engine().applyHistory().isSkipped()).isTrue();
            assertThat(column(pipeline, "Task history", "task")).as("skipped runs are not recorded").hasSize(3);
        }
    }

    @Test
    void aRestartThatFindsOnlyFilesTheLedgerHoldsRecordsNoRun() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
            // A new process: a landing folder that has handed out nothing yet, over the same warehouse.
            try (LandingFolder landing = new LandingFolder(pipeline.spec().landing(), pipeline.spec().pattern(),
                    Duration.ZERO, Clock.systemUTC())) {
                new PipelineRunner(pipeline.spec(), pipeline.engine(), landing, Clock.systemUTC(), PipelineListener.NONE)
                        .runUntilIdle();
            }
            assertThat(column(pipeline, "Task history", "task")).as("the restart had no new input").hasSize(3);
        }
    }

    @Test
    void eachTaskConsumesTheRawTableThroughItsOwnOffset() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.deliver("people_2.csv", People.HEADER + "\n1,Ann,Lima,U,2\n");
            pipeline.runUntilIdle();
            assertThat(column(pipeline, "Offsets", "consumer", "committed"))
                    .containsExactlyInAnyOrder(List.of("raw->current", 2L), List.of("raw->history", 2L));
            pipeline.deliver("people_3.csv", People.HEADER + "\n2,Bob,Rome,U,1\n");
            pipeline.runUntilIdle();
            assertThat(column(pipeline, "Offsets", "consumer", "committed"))
                    .containsExactlyInAnyOrder(List.of("raw->current", 3L), List.of("raw->history", 3L));
        }
    }

    @Test
    void aRunningPipelineAppliesAFileSoonAfterItLands() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread running = new Thread(() -> {
                try {
                    pipeline.runner().runContinuously(stop::get);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            running.start();
            try {
                // Let the first cycle find an empty folder, so that only the landing can wake the pipeline.
                Thread.sleep(500);
                pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n", Instant.now().minusSeconds(1));
                Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
                // The schedule's period is a minute: only the landing itself wakes the pipeline this soon.
                while (pipeline.history().rows().isEmpty() && Instant.now().isBefore(deadline) && failure.get() == null) {
                    Thread.sleep(50);
                }
                assertThat(failure.get()).isNull();
                assertThat(pipeline.current().rows()).hasSize(1);
                assertThat(pipeline.history().rows()).hasSize(1);
            } finally {
                stop.set(true);
                running.join();
            }
        }
    }

    /** The named columns of a status section's rows. */
    private static List<List<Object>> column(PipelineHarness pipeline, String titlePrefix, String... columns) {
        for (StatusSection section : pipeline.engine().status()) {
            if (section.title().startsWith(titlePrefix)) {
                QueryResult rows = section.rows();
                List<List<Object>> picked = new ArrayList<>();
                for (List<Object> row : rows.rows()) {
                    List<Object> values = new ArrayList<>();
                    for (String column : columns) {
                        int index = rows.columns().indexOf(column);
                        assertThat(index).as("status section %s has column %s", section.title(), column).isNotNegative();
                        Object value = row.get(index);
                        values.add(value instanceof Number n && !(value instanceof Long) ? n.longValue() : value);
                    }
                    picked.add(values);
                }
                return picked;
            }
        }
        throw new AssertionError("no status section starting with " + titlePrefix);
    }
}
