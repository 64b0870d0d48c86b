package dev.changepipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.csv.CheckCounts;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the embedded engine: its file, its ledger table, its transactions. */
class DuckDbEngineTest {
    private static final String SPEC = """
            name: users
            landing: landing
            engine: {type: duckdb, path: warehouse}
            columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint}
            keys: [userId]
            sequence_by: sequenceNum
            delete_when: "operation = 'DELETE'"
            except_columns: [operation, sequenceNum]
            """;
    private static final String HEADER = "userId,name,city,operation,sequenceNum\n";

    @TempDir
    Path dir;

    private PipelineSpec spec(String yaml) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return SpecLoader.load(file);
    }

    private LandedFile land(String name, String content, Instant modified) throws Exception {
        Path path = dir.resolve("landing").resolve(name);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, java.nio.file.attribute.FileTime.from(modified));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
        return new LandedFile(name, path, Files.size(path), modified, hash);
    }

    /**
     * A history table made beforehand with a check the engine does not know of: the history task then
     * fails late, after its first statements ran inside its transaction, whenever a city is 'Boom'.
     */
    private void createHistoryTableRefusingBoom() throws Exception {
        Files.createDirectories(dir.resolve("warehouse"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse/warehouse.duckdb"));
                Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE users_history (userId BIGINT, name VARCHAR, city VARCHAR CHECK (city <> 'Boom'),
                        start_time BIGINT NOT NULL, end_time BIGINT, is_current BOOLEAN NOT NULL)""");
        }
    }

    private static List<List<Object>> rows(Engine engine, String sql) {
        return engine.query(sql, List.of()).rows();
    }

    /** A warehouse that loaded users_a.csv (modified at {@code t}), then changed by {@code statements} as another version left it. */
    private void oneFileLoadedThenAltered(Instant t, String... statements) throws Exception {
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            engine.load(land("users_a.csv", HEADER + "1,Ann,Oslo,INSERT,1\n", t));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse/warehouse.duckdb"));
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void aLedgerMadeBeforeQualityChecksGainsTheirColumnAndKeepsItsEntries() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        // As a warehouse of a version without checks left it.
        oneFileLoadedThenAltered(t, "ALTER TABLE changepipe.files DROP COLUMN check_failures",
                "ALTER TABLE changepipe.task_history DROP COLUMN check_failures");
        String withCheck = SPEC + "checks: [{name: not_rome, must: \"city <> 'Rome'\", on_fail: drop}]\n";
        try (Engine engine = Engines.open(spec(withCheck))) {
            engine.prepare();
            engine.load(land("users_b.csv", HEADER + "2,Bob,Rome,INSERT,1\n3,Cy,Lima,INSERT,1\n", t.plusSeconds(1)));

            assertThat(rows(engine, "SELECT file_id, check_failures FROM changepipe.files ORDER BY file_id")).containsExactly(
                    row(1L, null), row(2L, "[{\"check\":\"not_rome\",\"on_fail\":\"drop\",\"rows\":1}]"));
            assertThat(engine.ledger(LedgerQuery.all())).extracting(e -> e.checks().toJson())
                    .containsExactly(null, "[{\"check\":\"not_rome\",\"on_fail\":\"drop\",\"rows\":1}]");
            CheckCounts dropped = engine.ledger(LedgerQuery.all()).get(1).checks();
            engine.recordTaskRun(new TaskRun(PipelineTask.INGEST, t, t.plusMillis(5), 1, 1, 1, TaskRun.SUCCEEDED, null,
                    dropped));
            assertThat(engine.taskHistory(1)).extracting(TaskRun::checks).containsExactly(dropped);
        }
    }

    @Test
    void aRawTableAndALedgerMadeBeforeSchemaPoliciesGainTheirColumnsAndKeepTheirRows() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        // As a warehouse of a version without schema policies left it.
        oneFileLoadedThenAltered(t, "ALTER TABLE users_raw DROP COLUMN _rescued",
                "ALTER TABLE changepipe.files DROP COLUMN header_drift");
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            engine.load(land("users_b.csv", HEADER.strip() + ",phone\n2,Bob,Rome,INSERT,1,555\n", t.plusSeconds(1)));

            assertThat(rows(engine, "SELECT userId, _rescued FROM users_raw ORDER BY _file_id"))
                    .containsExactly(row(1L, null), row(2L, "{\"phone\":\"555\"}"));
            assertThat(rows(engine, "SELECT file_id, header_drift FROM changepipe.files ORDER BY file_id"))
                    .containsExactly(row(1L, null), row(2L, "{\"new\":[\"phone\"]}"));
        }
    }

    @Test
    void theLedgerRecordsLoadsRefusalsRedeliveriesAndNewVersions() throws Exception {
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            LandedFile first = land("users_a.csv", HEADER + "1,Ann,Oslo,INSERT,1\nx,Bob,Rome,INSERT,1\n", t);
            assertThat(engine.load(first)).isInstanceOf(FileOutcome.Loaded.class);
            assertThat(engine.load(first)).isInstanceOf(FileOutcome.AlreadyRecorded.class);
            // The same bytes rewritten later: a re-delivery, recorded once and not loaded.
            LandedFile resent = land("users_a.csv", HEADER + "1,Ann,Oslo,INSERT,1\nx,Bob,Rome,INSERT,1\n", t.plusSeconds(5));
            assertThat(engine.load(resent)).isInstanceOf(FileOutcome.Redelivered.class);
            assertThat(engine.load(resent)).isInstanceOf(FileOutcome.AlreadyRecorded.class);
            // New content under the same name: the file's second version.
            LandedFile second = land("users_a.csv", HEADER + "1,Ann,Bergen,UPDATE,2\n", t.plusSeconds(9));
            assertThat(engine.load(second)).isInstanceOf(FileOutcome.Loaded.class);
            LandedFile refused = land("users_b.csv", "userId,name,city\n2,Cid,Kyiv\n", t.plusSeconds(12));
            FileOutcome outcome = engine.load(refused);
            assertThat(outcome).isInstanceOf(FileOutcome.Refused.class);
            assertThat(((FileOutcome.Refused) outcome).reason()).contains("operation", "sequenceNum");

            assertThat(rows(engine, """
                    SELECT file_id, name, status, rows_loaded, rows_rejected, version, original_file_id
                    FROM changepipe.files ORDER BY file_id"""))
                    .containsExactly(
                            row(1L, "users_a.csv", "loaded_with_rejects", 1L, 1L, 1, null),
                            row(2L, "users_a.csv", "redelivered", 0L, 0L, 1, 1L),
                            row(3L, "users_a.csv", "loaded", 1L, 0L, 2, null),
                            row(4L, "users_b.csv", "refused", 0L, 0L, 1, null));
            assertThat(rows(engine, "SELECT first_error FROM changepipe.files WHERE file_id = 1").get(0).get(0))
                    .isEqualTo("line 3: userId: cannot read 'x' as bigint");
            assertThat(rows(engine, """
                    SELECT count(*) FROM (SELECT ingested_at, lag(ingested_at) OVER (ORDER BY file_id) AS previous
                    FROM changepipe.files) WHERE previous >= ingested_at""").get(0).get(0)).isEqualTo(0L);
            assertThat(rows(engine, "SELECT count(*) FROM users_raw").get(0).get(0)).isEqualTo(2L);
        }
    }

    private static List<Object> row(Object... values) {
        return java.util.Arrays.asList(values);
    }

    @Test
    void aFailingHistoryTaskChangesNothingAndItsInputIsTakenAgain() throws Exception {
        PipelineSpec spec = spec(SPEC);
        createHistoryTableRefusingBoom();
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            engine.load(land("users_1.csv", HEADER + "1,Ann,Oslo,INSERT,1\n", Instant.parse("2026-01-01T00:00:00Z")));
            assertThat(engine.applyHistory().rowsOut()).isEqualTo(1);
            engine.load(land("users_2.csv", HEADER + "1,Ann,Boom,UPDATE,2\n2,Bob,Rome,INSERT,1\n",
                    Instant.parse("2026-01-01T00:00:05Z")));
            assertThatThrownBy(engine::applyHistory).isInstanceOf(ChangepipeException.class)
                    .hasMessageContaining("task history of pipeline users failed");
            assertThat(rows(engine, "SELECT userId, city, end_time FROM users_history ORDER BY userId"))
                    .containsExactly(row(1L, "Oslo", null));
            assertThat(rows(engine, "SELECT committed FROM changepipe.offsets WHERE consumer = 'raw->history'").get(0).get(0))
                    .isEqualTo(1L);
            // The current table's task is independent and goes ahead.
            TaskResult current = engine.applyCurrent();
            assertThat(current.toOffset()).isEqualTo(2);
            assertThat(rows(engine, "SELECT city FROM users ORDER BY userId")).containsExactly(row("Boom"), row("Rome"));
        }
    }

    @Test
    void aRestartBetweenTasksEndsWithTheSameTablesAsAnUninterruptedRun() throws Exception {
        PipelineSpec spec = spec(SPEC);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            engine.load(land("users_1.csv", HEADER + "1,Ann,Oslo,INSERT,1\n2,Bob,Rome,INSERT,1\n", t));
            engine.applyCurrent();
            engine.load(land("users_2.csv", HEADER + "1,Ann,Lima,UPDATE,3\n2,,,DELETE,2\n", t.plusSeconds(1)));
        }
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            assertThat(engine.applyHistory().fromOffset()).isZero();
            assertThat(engine.applyCurrent().fromOffset()).isEqualTo(1);
            assertThat(engine.applyCurrent().isSkipped()).isTrue();
            assertThat(rows(engine, "SELECT userId, city FROM users ORDER BY userId")).containsExactly(row(1L, "Lima"));
            assertThat(rows(engine, "SELECT userId, city, start_time, end_time FROM users_history ORDER BY userId, start_time"))
                    .containsExactly(row(1L, "Oslo", 1L, 3L), row(1L, "Lima", 3L, null), row(2L, "Rome", 1L, 2L));
        }
    }

    @Test
    void aSpecWhoseColumnsChangedIsRefusedNamingTheTableAndChangesNothing() throws Exception {
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
        }
        // A declared column the tables lack may join them (rule 1.12), but not in place of one they have.
        try (Engine engine = Engines.open(spec(SPEC.replace("city: varchar", "zip: varchar")))) {
            assertThatThrownBy(engine::prepare).isInstanceOfSatisfying(ChangepipeException.class,
                    e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
                    .hasMessageContaining("table users_raw").hasMessageContaining("zip");
        }
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            assertThat(rows(engine, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'zip'"))
                    .containsExactly(row(0L));
        }
    }

    @Test
    void historyValidityColumnsTakeTheSequenceTypeOrIngestionTime() throws Exception {
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            assertThat(rows(engine, """
                    SELECT column_name, data_type FROM information_schema.columns
                    WHERE table_name = 'users_history' ORDER BY ordinal_position"""))
                    .containsExactly(row("userId", "BIGINT"), row("name", "VARCHAR"), row("city", "VARCHAR"),
                            row("start_time", "BIGINT"), row("end_time", "BIGINT"), row("is_current", "BOOLEAN"));
        }
        String arrival = SPEC.replace("sequence_by: sequenceNum\n", "").replace("path: warehouse", "path: warehouse2");
        try (Engine engine = Engines.open(spec(arrival))) {
            engine.prepare();
            assertThat(rows(engine, """
                    SELECT data_type FROM information_schema.columns
                    WHERE table_name = 'users_history' AND column_name IN ('start_time', 'end_time')"""))
                    .containsExactly(row("TIMESTAMP WITH TIME ZONE"), row("TIMESTAMP WITH TIME ZONE"));
        }
    }

    @Test
    void aQueryNeverChangesTheWarehouse() throws Exception {
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            engine.load(land("users_1.csv", HEADER + "1,Ann,Oslo,INSERT,1\n", Instant.parse("2026-01-01T00:00:00Z")));
            // Refused before they run (ReadOnlyStatement); the rolled-back transaction is the second line of defence.
            for (String write : List.of("DELETE FROM users_raw", "DROP TABLE users_history")) {
                assertThatThrownBy(() -> engine.query(write, List.of())).as(write)
                        .isInstanceOf(ChangepipeException.class)
                        .hasMessageStartingWith("the query endpoint is read-only")
                        .extracting(e -> ((ChangepipeException) e).category()).isEqualTo(ErrorCategory.USER_ERROR);
            }
            assertThat(rows(engine, "SELECT count(*) FROM users_raw").get(0).get(0)).isEqualTo(1L);
            assertThat(engine.applyHistory().rowsOut()).isEqualTo(1);
        }
    }

    @Test
    void aQueryReadsAndWritesNoFileOutsideTheWarehouse() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cr3t\n");
        Path target = dir.resolve("copied.csv");
        try (Engine engine = Engines.open(spec(SPEC))) {
            engine.prepare();
            for (String sql : List.of(
                    "COPY (SELECT 1) TO '" + target + "'",
                    "SELECT * FROM read_csv('" + secret + "')",
                    "SELECT * FROM read_text('" + secret + "')",
                    "ATTACH '" + dir.resolve("other.duckdb") + "' AS other",
                    "SET enable_external_access = true")) {
                assertThatThrownBy(() -> engine.query(sql, List.of())).as(sql)
                        .isInstanceOf(ChangepipeException.class)
                        .extracting(e -> ((ChangepipeException) e).category()).isEqualTo(ErrorCategory.USER_ERROR);
            }
            assertThat(target).doesNotExist();
            assertThat(dir.resolve("other.duckdb")).doesNotExist();
            engine.load(land("users_1.csv", HEADER + "1,Ann,Oslo,INSERT,1\n", Instant.parse("2026-01-01T00:00:00Z")));
            assertThat(rows(engine, "SELECT count(*) FROM users_raw").get(0).get(0)).isEqualTo(1L);
        }
    }

    /** How DuckDB itself shows a memory limit once set, read from a database of its own. */
    private static String duckDbShows(String limit) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + limit + "'");
            try (var rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private String memoryLimitOf(PipelineSpec spec) {
        try (Engine engine = Engines.open(spec)) {
            return (String) engine.query("SELECT current_setting('memory_limit')", List.of()).rows().get(0).get(0);
        }
    }

    @Test
    void theMemoryLimitIsTheSpecsOrTwoGigabytesNotDuckDbsShareOfTheMachine() throws Exception {
        assertThat(memoryLimitOf(spec(SPEC.replace("path: warehouse}", "path: warehouse, memory_limit: 512MB}"))))
                .isEqualTo(duckDbShows("512MB"));
        assertThat(memoryLimitOf(spec(SPEC.replace("path: warehouse}", "path: warehouse, memory_limit: \"1.5 GiB\"}"))))
                .isEqualTo(duckDbShows("1.5GiB"));
        assertThat(memoryLimitOf(spec(SPEC))).isEqualTo(duckDbShows(DuckDbEngineFactory.DEFAULT_MEMORY_LIMIT))
                .isNotEqualTo(duckDbShows("512MB"));
    }

    @Test
    void aMemoryLimitThatIsNotASizeIsRefusedNamingTheField() throws Exception {
        for (String value : List.of("lots", "'2GB'; SET threads = 1", "2 GB x", "-1GB", "80%")) {
            PipelineSpec spec = spec(SPEC.replace("path: warehouse}", "path: warehouse, memory_limit: \"" + value + "\"}"));
            assertThatThrownBy(() -> Engines.open(spec)).as(value).isInstanceOf(ChangepipeException.class)
                    .hasMessageStartingWith("engine.memory_limit: ");
        }
    }

    @Test
    void unknownEngineOptionsAreRefusedNamingTheField() throws Exception {
        PipelineSpec spec = spec(SPEC.replace("path: warehouse}", "path: warehouse, threads: 4}"));
        assertThatThrownBy(() -> Engines.open(spec)).isInstanceOf(ChangepipeException.class)
                .hasMessageStartingWith("engine.threads:");
    }

    /** A file of {@code rows} inserts of distinct keys. */
    private LandedFile landInserts(String name, int rows, Instant modified) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= rows; i++) {
            csv.append(i).append(",name ").append(i).append(",city ").append(i % 97).append(",INSERT,1\n");
        }
        return land(name, csv.toString(), modified);
    }

    private long writeAheadLogBytes() throws IOException {
        Path log = dir.resolve("warehouse").resolve(DuckDbEngine.DATABASE_FILE + ".wal");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** Far below the 16 MB of a real pipeline, so that a few thousand rows of small commits reach it. */
    private static final long TEST_IDLE_CHECKPOINT_BYTES = 64 << 10;

    @Test
    void anIdleMomentCheckpointsALogPastItsSizeAndChangesNoRow() throws Exception {
        PipelineSpec spec = spec(SPEC);
        try (Engine engine = DuckDbEngine.open(spec, "1GB", TEST_IDLE_CHECKPOINT_BYTES)) {
            engine.prepare();
            engine.load(land("users_1.csv", HEADER + "1,Ann,Oslo,INSERT,1\n", Instant.parse("2026-01-01T00:00:00Z")));
            long small = writeAheadLogBytes();
            engine.idle();
            assertThat(small).isPositive().isLessThan(TEST_IDLE_CHECKPOINT_BYTES);
            assertThat(writeAheadLogBytes()).as("a small log is left for later").isEqualTo(small);

            engine.load(landInserts("users_2.csv", 5_000, Instant.parse("2026-01-01T00:00:01Z")));
            engine.applyCurrent();
            engine.applyHistory();
            assertThat(writeAheadLogBytes()).isGreaterThanOrEqualTo(TEST_IDLE_CHECKPOINT_BYTES);
            List<List<Object>> before = rows(engine, "SELECT count(*), sum(userId), count(DISTINCT city) FROM users");
            engine.idle();
            assertThat(writeAheadLogBytes()).isLessThan(small);
            assertThat(rows(engine, "SELECT count(*), sum(userId), count(DISTINCT city) FROM users")).isEqualTo(before)
                    .containsExactly(row(5_000L, java.math.BigInteger.valueOf(5_000L * 5_001 / 2), 97L));
        }
        try (Engine engine = Engines.open(spec)) {
            assertThat(rows(engine, "SELECT count(*) FROM users_history").get(0).get(0)).isEqualTo(5_000L);
        }
    }

    @Test
    void aRunningPipelineCheckpointsOnceTheLandingZoneHasBeenQuietForASecond() throws Exception {
        PipelineSpec spec = spec(SPEC);
        landInserts("users_1.csv", 5_000, Instant.now().minusSeconds(5));
        java.util.concurrent.atomic.AtomicLong historyAt = new java.util.concurrent.atomic.AtomicLong();
        try (Engine engine = DuckDbEngine.open(spec, "1GB", TEST_IDLE_CHECKPOINT_BYTES);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
            engine.prepare();
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), new PipelineListener() {
                @Override
                public void taskFinished(dev.changepipe.engine.TaskRun run) {
                    if (run.task() == dev.changepipe.engine.PipelineTask.HISTORY) {
                        historyAt.set(System.nanoTime());
                    }
                }
            });
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread pipeline = new Thread(() -> {
                try {
                    runner.runContinuously(stop::get);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            pipeline.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (historyAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writeAheadLogBytes()).as("right after the tasks").isGreaterThanOrEqualTo(TEST_IDLE_CHECKPOINT_BYTES);
            while (writeAheadLogBytes() >= TEST_IDLE_CHECKPOINT_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long checkpointedAfter = System.nanoTime() - historyAt.get();
            stop.set(true);
            pipeline.join();
            assertThat(writeAheadLogBytes()).isLessThan(TEST_IDLE_CHECKPOINT_BYTES);
            assertThat(Duration.ofNanos(checkpointedAfter)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(rows(engine, "SELECT count(*) FROM users_history").get(0).get(0)).isEqualTo(5_000L);
        }
    }

    @Test
    void theRunnerRetriesAFailingTaskRecordsEachAttemptAndGoesOnWithTheOthers() throws Exception {
        PipelineSpec spec = spec(SPEC);
        createHistoryTableRefusingBoom();
        land("users_1.csv", HEADER + "1,Ann,Boom,INSERT,1\n", Instant.now().minusSeconds(5));
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
            engine.prepare();
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), PipelineListener.NONE);
            assertThatThrownBy(runner::runUntilIdle).isInstanceOf(ChangepipeException.class)
                    .hasMessageContaining("failed after 4 attempts");
            assertThat(rows(engine, "SELECT task, attempt, status FROM changepipe.task_history ORDER BY started"))
                    .containsExactly(row("ingest", 1, "succeeded"), row("current", 1, "succeeded"),
                            row("history", 1, "failed"), row("history", 2, "failed"), row("history", 3, "failed"),
                            row("history", 4, "failed"));
            assertThat(rows(engine, "SELECT error FROM changepipe.task_history WHERE status = 'failed' LIMIT 1").get(0).get(0))
                    .asString().contains("CHECK constraint");
            assertThat(rows(engine, "SELECT count(*) FROM users_history").get(0).get(0)).isEqualTo(0L);
            assertThat(rows(engine, "SELECT count(*) FROM users").get(0).get(0)).isEqualTo(1L);
        }
    }
}
