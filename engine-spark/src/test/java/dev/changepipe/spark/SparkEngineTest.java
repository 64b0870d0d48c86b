package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.conformance.PipelineHarness;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to the Spark engine: Delta tables at paths, offsets in Delta logs, clean-up after a crash,
 * read-only queries, bookkeeping read by path and not by name.
 */
class SparkEngineTest {
    private static final String SPEC = """
            name: people
            columns: {id: bigint, name: varchar, city: varchar, op: varchar, seq: bigint}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op, seq]
            """;
    private static final String HEADER = "id,name,city,op,seq\n";

    @TempDir
    Path dir;

    private PipelineHarness open(String name) {
        return PipelineHarness.open(dir.resolve(name), SPEC, "spark", SparkTestEngine.OPTIONS);
    }

    @Test
    void rowsOfALoadThatDidNotCommitAreRemovedWhenTheEngineOpensAndTheirFileLoadsOnce() {
        Path warehouse = dir.resolve("p/warehouse");
        try (PipelineHarness pipeline = open("p")) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
        }
        // What a crash between the raw append and the ledger append leaves: raw rows of file id 2, no ledger entry.
        SparkSession.active().sql("""
                INSERT INTO delta.`%s` VALUES (2, 'Bob', 'Rome', 'U', 1, 2, 'people_2.csv', 1, current_timestamp(), NULL)"""
                .formatted(warehouse.resolve("people_raw")));
        try (PipelineHarness pipeline = open("p")) {
            assertThat(pipeline.raw().rows()).as("raw after the restart").hasSize(1);
            pipeline.deliver("people_2.csv", HEADER + "2,Bob,Rome,U,1\n");
            pipeline.runUntilIdle();
            assertThat(pipeline.raw().project(List.of("id", "_file_id")).rows())
                    .containsExactly(List.of("1", "1"), List.of("2", "2"));
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(e -> e.fileId() + " " + e.name())
                    .containsExactly("1 people_1.csv", "2 people_2.csv");
            assertThat(pipeline.current().rows()).hasSize(2);
        }
    }

    @Test
    void theTasksOffsetsAreKeptInTheirTablesDeltaLogsAndSurviveARestart() {
        try (PipelineHarness pipeline = open("p")) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.deliver("people_2.csv", HEADER + "1,Ann,Lima,U,2\n");
            pipeline.runUntilIdle();
        }
        Path warehouse = dir.resolve("p/warehouse");
        SparkSession session = SparkSession.active();
        assertThat(DeltaTransactions.latest(session, warehouse.resolve("people").toString(), "changepipe:people:raw->current"))
                .isEqualTo(2);
        assertThat(DeltaTransactions.latest(session, warehouse.resolve("people_history").toString(),
                "changepipe:people:raw->history")).isEqualTo(2);
        try (PipelineHarness pipeline = open("p")) {
            Engine engine = pipeline.engine();
            assertThat(engine.applyCurrent().isSkipped()).as("current after a restart").isTrue();
            assertThat(engine.applyHistory().isSkipped()).as("history after a restart").isTrue();
            assertThat(engine.offsets()).extracting(o -> o.consumer() + "=" + o.committed())
                    .containsExactly("raw->current=2", "raw->history=2");
        }
    }

    @Test
    void aQueryFromAnotherThreadReadsWithTheEnginesSettings() throws Exception {
        try (PipelineHarness pipeline = open("p")) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
            // As the query endpoint asks: from a thread of its own, which has no active Spark session
            // (threads inherit the one of the thread that made them), with "double-quoted" names.
            AtomicReference<Object> result = new AtomicReference<>();
            Thread asker = new Thread(() -> {
                SparkSession.clearActiveSession();
                try {
                    result.set(pipeline.query("SELECT \"name\" FROM \"people\"").rows());
                } catch (RuntimeException e) {
                    result.set(e);
                }
            });
            asker.start();
            asker.join();
            assertThat(result.get()).isEqualTo(List.of(List.of("Ann")));
        }
    }

    @Test
    void eachWarehouseOfTheProcessKeepsItsOwnLedgerAndTheirTablesOfTheSameNamesApart() {
        try (PipelineHarness first = open("a"); PipelineHarness second = open("b")) {
            first.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            first.runUntilIdle();
            second.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            second.deliver("people_2.csv", HEADER + "2,Bob,Rome,U,1\n");
            second.runUntilIdle();
            for (int i = 0; i < 2; i++) {
                assertThat(first.engine().ledger(LedgerQuery.all())).hasSize(1);
                assertThat(second.engine().ledger(LedgerQuery.all())).hasSize(2);
                assertThat(first.query("SELECT count(*) FROM people").rows()).containsExactly(List.of(1L));
                assertThat(second.query("SELECT count(*) FROM people").rows()).containsExactly(List.of(2L));
            }
        }
    }

    @Test
    void theBookkeepingIsReadByItsDeltaPathsAndNotByCatalogNamesAndCannotBeWrittenThroughQueries() {
        try (PipelineHarness pipeline = open("p")) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
            pipeline.engine().commitFeedOffset("audit", pipeline.engine().readChangeFeed("audit", 10).lastVersion());
            Path bookkeeping = dir.resolve("p/warehouse/_changepipe");
            assertThat(pipeline.query("SELECT name, status FROM delta.`" + bookkeeping.resolve("files") + "` WHERE pipeline = ?",
                    "people").rows()).containsExactly(List.of("people_1.csv", "loaded"));
            assertThat(pipeline.query("SELECT consumer FROM delta.`" + bookkeeping.resolve("offsets") + "`").rows())
                    .containsExactly(List.of("feed:audit"));
            assertThatThrownBy(() -> pipeline.query("SELECT count(*) FROM changepipe.files"))
                    .isInstanceOf(ChangepipeException.class)
                    .hasMessageStartingWith("the query endpoint is read-only")
                    .hasMessageContaining("changepipe.files")
                    .extracting(e -> ((ChangepipeException) e).category()).isEqualTo(ErrorCategory.USER_ERROR);
            for (String write : List.of("DELETE FROM delta.`" + bookkeeping.resolve("files") + "`",
                    "DROP TABLE delta.`" + bookkeeping.resolve("task_history") + "`",
                    "INSERT INTO delta.`" + bookkeeping.resolve("offsets") + "` VALUES ('people', 'x', 1, current_timestamp())")) {
                assertThatThrownBy(() -> pipeline.query(write)).as(write)
                        .hasMessageStartingWith("the query endpoint is read-only");
            }
            List<LedgerEntry> ledger = pipeline.engine().ledger(LedgerQuery.all());
            assertThat(ledger).extracting(LedgerEntry::name).containsExactly("people_1.csv");
        }
    }

    @Test
    void badEngineOptionsFailAtStartNamingTheField() throws Exception {
        assertThat(openError("{type: spark, path: lake, threads: 4}")).startsWith("engine.threads: unknown option");
        assertThat(openError("{type: spark, path: lake, master: \"yarn\"}")).startsWith("engine.master: 'yarn' is not supported");
        assertThat(openError("{type: spark, path: lake, conf: [a, b]}")).startsWith("engine.conf: must be a mapping");
        assertThat(openError("{type: spark, path: lake, conf: {spark.executor.memory: {a: 1}}}"))
                .startsWith("engine.conf.spark.executor.memory: must be a single value");
    }

    private String openError(String engineBlock) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "landing: landing\nengine: " + engineBlock + "\n" + SPEC);
        PipelineSpec spec = SpecLoader.load(file);
        try (Engine engine = Engines.open(spec)) {
            throw new AssertionError("opened with " + engineBlock);
        } catch (ChangepipeException e) {
            assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
            return e.getMessage();
        }
    }

    @Test
    void theEngineReadsAndWritesDeltaTablesUnderItsPath() {
        try (PipelineHarness pipeline = open("p")) {
            pipeline.deliver("people_1.csv", HEADER + "1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
        }
        Path warehouse = dir.resolve("p/warehouse");
        for (String table : List.of("people_raw", "people_raw_rejects", "people", "people_history", "_changepipe/files",
                "_changepipe/offsets", "_changepipe/task_history")) {
            assertThat(warehouse.resolve(table).resolve("_delta_log")).as(table).isDirectory();
        }
        Row detail = SparkSession.active().sql("DESCRIBE DETAIL delta.`" + warehouse.resolve("people") + "`").first();
        Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
        assertThat(properties).containsEntry("delta.enableChangeDataFeed", "true");
    }
}
