package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.engine.StoredReject;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
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
 * the task history and offsets as {@code changepipe status} shows them (core's {@code StatusView}, built from
 * every engine's typed bookkeeping).
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
                Instant landed = Instant.now();
                pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n", landed.minusSeconds(1));
                // The schedule's period is a minute, and the first cycle ran at start: a cycle that starts well within
                // the minute was woken by the landing. How long the cycle then takes is the engine's own speed (a
                // Spark cycle on a busy 2-core machine takes seconds), so only its start is held to a bound.
                Instant deadline = landed.plus(Duration.ofSeconds(50));
                while (pipeline.history().rows().isEmpty() && Instant.now().isBefore(deadline) && failure.get() == null) {
                    Thread.sleep(50);
                }
                assertThat(failure.get()).isNull();
                assertThat(ingestRuns(pipeline)).as("the ingest run of the landed file").hasSize(1);
                Instant started = ingestRuns(pipeline).get(0).started();
                assertThat(Duration.between(landed, started)).as("from the landing to the start of its cycle")
                        .isLessThan(Duration.ofSeconds(15));
                assertThat(pipeline.current().rows()).hasSize(1);
                assertThat(pipeline.history().rows()).hasSize(1);
            } finally {
                stop.set(true);
                running.join();
            }
        }
    }

    /** The runs of the ingest task the engine has recorded. */
    private static List<TaskRun> ingestRuns(PipelineHarness pipeline) {
        return pipeline.engine().taskHistory(10).stream().filter(run -> run.task() == PipelineTask.INGEST).toList();
    }

    @Test
    void theLedgerIsReadFilteredAndPagedAndTheOtherBookkeepingTyped() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.deliver("people_2.csv", People.HEADER + "\n3,Cid,Lima,U,1\n4,Dan,Oslo,U,x\n");
            pipeline.deliver("people_3.csv", "id,name\n5,Eve\n");
            pipeline.runUntilIdle();
            Engine engine = pipeline.engine();

            assertThat(engine.ledger(LedgerQuery.all()))
                    .extracting(LedgerEntry::fileId, LedgerEntry::status, LedgerEntry::rowsLoaded, LedgerEntry::rowsRejected)
                    .containsExactly(tuple(1L, FileStatus.LOADED, 2L, 0L), tuple(2L, FileStatus.LOADED_WITH_REJECTS, 1L, 1L),
                            tuple(3L, FileStatus.REFUSED, 0L, 0L));
            assertThat(ids(engine, LedgerQuery.latest(2))).containsExactly(3L, 2L);
            assertThat(ids(engine, LedgerQuery.all().after(1).first(1))).as("the page after file 1").containsExactly(2L);
            assertThat(ids(engine, LedgerQuery.all().before(3).newestToOldest())).containsExactly(2L, 1L);
            assertThat(ids(engine, LedgerQuery.all().named(List.of("people_2.csv", "absent.csv")))).containsExactly(2L);
            assertThat(ids(engine, LedgerQuery.all().excluding(FileStatus.REFUSED, FileStatus.LOADED))).containsExactly(2L);
            String landing = pipeline.spec().landing().toString();
            assertThat(ids(engine, LedgerQuery.all().under(landing + "/people_1"))).containsExactly(1L);
            assertThat(ids(engine, LedgerQuery.all().under("s3://"))).isEmpty();
            assertThat(ids(engine, LedgerQuery.all().first(0))).isEmpty();
            assertThat(engine.ledgerPosition().lastFileId()).isEqualTo(3);

            assertThat(engine.rowCounts()).isEqualTo(new TableCounts(3, 1, 3, 3, 3));
            assertThat(engine.rejects(10)).extracting(StoredReject::fileId, StoredReject::file, StoredReject::line,
                    StoredReject::column).containsExactly(tuple(2L, "people_2.csv", 3L, "seq"));

            engine.commitFeedOffset("bi", 1);
            assertThat(engine.offsets()).extracting(Offset::consumer, Offset::committed)
                    .containsExactly(tuple("feed:bi", 1L), tuple("raw->current", 3L), tuple("raw->history", 3L));
            assertThat(engine.offsets()).allSatisfy(o -> assertThat(o.committedAt()).isNotNull());

            assertThat(engine.taskHistory(10)).extracting(r -> r.task().label())
                    .as("newest first").containsExactly("history", "current", "ingest");
            assertThat(engine.taskHistory(1)).extracting(r -> r.task().label()).containsExactly("history");
        }
    }

    private static List<Long> ids(Engine engine, LedgerQuery query) {
        return engine.ledger(query).stream().map(LedgerEntry::fileId).toList();
    }

    /** The named columns of a status section's rows. */
    private static List<List<Object>> column(PipelineHarness pipeline, String titlePrefix, String... columns) {
        for (StatusSection section : StatusView.of(pipeline.engine(), pipeline.spec().tables())) {
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
