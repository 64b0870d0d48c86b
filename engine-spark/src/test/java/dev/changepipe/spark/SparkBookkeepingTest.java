package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.conformance.PipelineHarness;
import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.FileStaging;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerBatch;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.QualityCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine's own ways with its bookkeeping: the ledger answered from memory while it is short and
 * from Delta when it is long (both must agree), a load whose commit fails part-way, and the task history's
 * held runs.
 */
class SparkBookkeepingTest {
    private static final String SPEC = """
            name: people
            columns: {id: bigint, name: varchar, op: varchar, seq: bigint}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op, seq]
            """;
    private static final String HEADER = "id,name,op,seq\n";

    @TempDir
    Path dir;

    private PipelineHarness open() {
        return PipelineHarness.open(dir, SPEC, "spark", SparkTestEngine.OPTIONS);
    }

    /**
     * A pipeline that loaded people_1.csv (modified at {@code modified}), then rewritten as another version left it: each
     * table of {@code columns} (by location) without its column.
     */
    private void oneFileLoadedThenWithout(Instant modified, Function<SparkLocations, Map<String, String>> columns) {
        try (PipelineHarness pipeline = open()) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,U,1\n", modified);
            pipeline.runUntilIdle();
            // Written now, so that closing writes nothing with the schema this engine read.
            assertThat(pipeline.engine().taskHistory(10)).isNotEmpty();
            SparkSession spark = SparkSession.active();
            columns.apply(SparkLocations.of(pipeline.spec().engine().location(), pipeline.spec())).forEach((table, column) -> {
                spark.read().format("delta").load(table).drop(column).write().format("delta")
                        .mode("overwrite").option("overwriteSchema", "true").save(table);
                assertThat(spark.read().format("delta").load(table).columns()).doesNotContain(column);
            });
        }
    }

    /** A ledger and a task history written by a version before quality checks gain check_failures at start. */
    @Test
    void aLedgerAndATaskHistoryMadeBeforeQualityChecksGainTheirColumnAndKeepTheirEntries() throws Exception {
        Instant modified = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        oneFileLoadedThenWithout(modified, at -> Map.of(at.files(), "check_failures", at.taskHistory(), "check_failures"));
        PipelineHarness reopened = PipelineHarness.open(dir, SPEC + """
                checks: [{name: not_zed, must: "name <> 'Zed'", on_fail: drop}]
                """, "spark", SparkTestEngine.OPTIONS);
        try (reopened) {
            reopened.deliver("people_2.csv", HEADER + "2,Zed,U,1\n3,Cy,U,1\n", modified.plusSeconds(1));
            reopened.runUntilIdle();

            CheckCounts dropped = new CheckCounts(List.of(new CheckCounts.Count("not_zed", QualityCheck.OnFail.DROP, 1)));
            assertThat(reopened.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::name, LedgerEntry::checks)
                    .containsExactly(tuple("people_1.csv", CheckCounts.NONE), tuple("people_2.csv", dropped));
            assertThat(reopened.engine().taskHistory(10).stream().filter(r -> r.task() == PipelineTask.INGEST)
                    .map(TaskRun::checks).toList()).containsExactly(dropped, CheckCounts.NONE);
        }
    }

    /** A raw table and a ledger written by a version before schema policies gain _rescued and header_drift at start. */
    @Test
    void aRawTableAndALedgerMadeBeforeSchemaPoliciesGainTheirColumnsAndKeepTheirRows() throws Exception {
        Instant modified = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        oneFileLoadedThenWithout(modified, at -> Map.of(at.raw(), "_rescued", at.files(), "header_drift"));
        try (PipelineHarness reopened = open()) {
            reopened.deliver("people_2.csv", HEADER.strip() + ",phone\n2,Bob,U,1,555\n", modified.plusSeconds(1));
            reopened.runUntilIdle();

            assertThat(reopened.raw().project(List.of("id", "_rescued")).rows())
                    .containsExactly(java.util.Arrays.asList("1", null), List.of("2", "{\"phone\":\"555\"}"));
            assertThat(reopened.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::name, LedgerEntry::drift)
                    .containsExactly(tuple("people_1.csv", HeaderDrift.NONE),
                            tuple("people_2.csv", new HeaderDrift(List.of("phone"), List.of())));
        }
    }

    @Test
    void theLedgerKeptInMemoryAnswersEveryQueryAsTheLedgerReadFromDeltaDoes() throws Exception {
        Instant modified = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (PipelineHarness pipeline = open()) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,U,1\n", modified);
            pipeline.deliver("people_2.csv", HEADER + "2,Bob,U,1\n2,Bob,U,x\n", modified);
            pipeline.runUntilIdle();
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,U,2\n", modified.plusSeconds(1));
            pipeline.runUntilIdle();
            pipeline.deliver("people_3.csv", "", modified);
            pipeline.runUntilIdle();
            // The first content again, landed later: a re-delivery.
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,U,1\n", modified.plusSeconds(2));
            pipeline.runUntilIdle();

            SparkEngine fromDelta = new SparkEngine(pipeline.spec(), SparkSession.active().newSession(),
                    pipeline.spec().engine().location(), 0);
            fromDelta.prepare();
            String landing = pipeline.spec().landing().toString();
            List<LedgerQuery> queries = List.of(LedgerQuery.all(), LedgerQuery.latest(2), LedgerQuery.all().first(0),
                    LedgerQuery.all().named(List.of("people_1.csv", "missing.csv")),
                    LedgerQuery.all().named(List.of("people_1.csv")).excluding(FileStatus.VANISHED).newestToOldest(),
                    LedgerQuery.all().excluding(FileStatus.REDELIVERED, FileStatus.REFUSED),
                    LedgerQuery.all().under(Path.of(landing, "people_2").toString()),
                    LedgerQuery.all().after(1).before(4), LedgerQuery.all().after(2).first(2),
                    LedgerQuery.latest(2).before(4), LedgerQuery.all().after(5), LedgerQuery.all().after(3).before(3));
            for (LedgerQuery query : queries) {
                assertThat(pipeline.engine().ledger(query)).as("%s", query).isEqualTo(fromDelta.ledger(query));
            }
            // As the query endpoint asks, from a thread with no active Spark session: the values must be decoded
            // by the engine's session's settings (instants, not java.sql.Timestamp), not by Spark's defaults.
            AtomicReference<Object> fromAnotherThread = new AtomicReference<>();
            Thread asker = new Thread(() -> {
                SparkSession.clearActiveSession();
                try {
                    fromAnotherThread.set(fromDelta.ledger(LedgerQuery.all()));
                } catch (RuntimeException e) {
                    fromAnotherThread.set(e);
                }
            });
            asker.start();
            asker.join();
            assertThat(fromAnotherThread.get()).isEqualTo(pipeline.engine().ledger(LedgerQuery.all()));

            List<LedgerEntry> all = fromDelta.ledger(LedgerQuery.all());
            assertThat(all).extracting(e -> e.fileId() + " " + e.name() + " " + e.status().word() + " v" + e.version())
                    .containsExactly("1 people_1.csv loaded v1", "2 people_2.csv loaded_with_rejects v1",
                            "3 people_1.csv loaded v2", "4 people_3.csv refused v1", "5 people_1.csv redelivered v1");
            assertThat(all.get(4).originalFileId()).isEqualTo(1L);
            assertThat(all.get(1).rowsRejected()).isEqualTo(1);
            assertThat(all.get(0).location()).isEqualTo(Path.of(landing, "people_1.csv").toString());
            assertThat(all.get(0).lastModified()).isEqualTo(modified);
            assertThat(fromDelta.ledger(LedgerQuery.latest(2).before(4))).extracting(LedgerEntry::fileId).containsExactly(3L, 2L);
            assertThat(fromDelta.ledger(LedgerQuery.all().after(2).first(2))).extracting(LedgerEntry::fileId)
                    .containsExactly(3L, 4L);
            assertThat(fromDelta.ledger(LedgerQuery.all().under(Path.of(landing, "people_2").toString())))
                    .extracting(LedgerEntry::name).containsExactly("people_2.csv");
            assertThat(fromDelta.ledger(LedgerQuery.all().excluding(FileStatus.REDELIVERED, FileStatus.REFUSED)))
                    .extracting(LedgerEntry::fileId).containsExactly(1L, 2L, 3L);
            assertThat(fromDelta.ledger(LedgerQuery.all().named(List.of("people_1.csv")).newestToOldest()))
                    .extracting(LedgerEntry::fileId).containsExactly(5L, 3L, 1L);
            fromDelta.close();
        }
    }

    @Test
    void aLoadWhoseCommitFailsAfterTheRawAppendLeavesItsRowsToBeRemovedBeforeTheNextLoad() throws Exception {
        try (PipelineHarness pipeline = open()) {
            Path good = Files.writeString(dir.resolve("good.csv"), HEADER + "1,Ann,U,1\n2,Bob,U,1\n");
            Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + "3,Cid,U,x\n");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            LandedFile goodFile = new LandedFile("good.csv", good, Files.size(good), now, "a");
            try (FileLoad load = pipeline.engine().beginLoad()) {
                assertThat(load.stage(goodFile, 1)).isInstanceOf(FileStaging.Staged.Read.class);
                assertThat(load.stage(new LandedFile("bad.csv", bad, Files.size(bad), now, "b"), 2))
                        .isInstanceOf(FileStaging.Staged.Read.class);
                // The entries leave out the file whose only row was rejected: its reject has no entry to be written
                // under, so the commit fails after the raw rows are appended and before the ledger is.
                LedgerBatch.Entry entry = new LedgerBatch.Entry(goodFile, 1, FileStatus.LOADED, 2, 0, null, now, 1, null);
                assertThatThrownBy(() -> load.commit(List.of(entry))).isInstanceOf(ChangepipeException.class);
            }
            assertThat(pipeline.raw().rows()).as("raw rows the failed load appended").hasSize(2);
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).isEmpty();

            pipeline.deliver("people_1.csv", HEADER + "9,Eve,U,1\n");
            pipeline.runUntilIdle();
            assertThat(pipeline.raw().project(List.of("id", "_file_id")).rows()).containsExactly(List.of("9", "1"));
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::name)
                    .containsExactly("people_1.csv");
            assertThat(pipeline.current().rows()).hasSize(1);
        }
    }

    @Test
    void aSucceededRunIsWrittenWithTheNextWriteAndAFailedOneAtOnce() {
        try (PipelineHarness pipeline = open()) {
            Path taskHistory = dir.resolve("warehouse/_changepipe/task_history");
            Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
            pipeline.engine().recordTaskRun(new TaskRun(PipelineTask.CURRENT, started, started.plusMillis(5), 3, 4, 1,
                    TaskRun.SUCCEEDED, null));
            assertThat(storedRuns(taskHistory)).as("runs written before the next write").isZero();
            pipeline.engine().idle();
            assertThat(storedRuns(taskHistory)).as("runs written when idle").isEqualTo(1);
            pipeline.engine().recordTaskRun(new TaskRun(PipelineTask.HISTORY, started.plusMillis(10),
                    started.plusMillis(12), 3, 0, 2, TaskRun.FAILED, "boom"));
            assertThat(storedRuns(taskHistory)).as("a failed run, written at once").isEqualTo(2);
            pipeline.engine().recordTaskRun(new TaskRun(PipelineTask.HISTORY, started.plusMillis(20),
                    started.plusMillis(25), 3, 3, 3, TaskRun.SUCCEEDED, null));

            List<TaskRun> latest = pipeline.engine().taskHistory(2);
            assertThat(latest).extracting(r -> r.task().label() + " " + r.attempt() + " " + r.status())
                    .containsExactly("history 3 succeeded", "history 2 failed");
            assertThat(latest.get(1).error()).isEqualTo("boom");
            assertThat(latest.get(1).started()).isEqualTo(started.plusMillis(10));
            assertThat(pipeline.engine().taskHistory(5)).hasSize(3);
        }
    }

    /**
     * A start that changed raw values (rules 1.11, 1.12) marks the current and history tables before its first rewrite;
     * one that crashed before deriving them again leaves the mark, and the next start derives every key then.
     */
    @Test
    void aStartThatCrashedBeforeDerivingTheTablesAgainDerivesThemAtTheNextStart() {
        SparkLocations at;
        try (PipelineHarness pipeline = open()) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,U,1\n2,Bob,U,1\n");
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", HEADER + "1,Ann B,U,2\n");
            pipeline.runUntilIdle();
            at = SparkLocations.of(pipeline.spec().engine().location(), pipeline.spec());
        }
        SparkSession spark = SparkSession.active();
        // What such a crash leaves: the mark, and tables not yet what the raw table gives.
        for (String table : List.of(at.current(), at.history())) {
            spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES ('" + TableMigration.DERIVE_AGAIN + "' = 'true')");
            spark.sql("DELETE FROM delta.`" + table + "` WHERE id = 1");
        }
        try (PipelineHarness pipeline = open()) {
            assertThat(pipeline.current().column("name")).containsExactly("Ann B", "Bob");
            assertThat(pipeline.history().column("name")).containsExactly("Ann", "Ann B", "Bob");
            for (String table : List.of(at.current(), at.history())) {
                assertThat(spark.sql("SHOW TBLPROPERTIES delta.`" + table + "`").where("key = '"
                        + TableMigration.DERIVE_AGAIN + "'").count()).as("the mark is gone once done").isZero();
            }
        }
    }

    private static long storedRuns(Path table) {
        return SparkSession.active().sql("SELECT count(*) FROM delta.`" + table + "`").first().getLong(0);
    }
}
