package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.StatusView;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.QualityCheck.OnFail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Quality checks, rule 1.7 of docs/semantics.md: which rows a check drops to the rejects, which it loads and
 * counts, which files it refuses, and the counts the ledger keeps with each file and the status totals.
 */
public abstract class QualityCheckConformanceTest extends ConformanceSuite {

    /** People with two checks whose on_fail each test chooses: city_known over city, name_short over name. */
    static String spec(String cityMode, String nameMode) {
        return People.SPEC + """
                checks:
                  - {name: city_known, must: "city <> 'Nowhere'", on_fail: %s}
                  - {name: name_short, must: "name < 'M'", on_fail: %s}
                """.formatted(cityMode, nameMode);
    }

    /** Line 3 fails city_known, line 4 name_short, line 5 both; line 6 has NULLs, which pass. */
    static final String FILE = People.HEADER + """

            1,Ann,Oslo,U,1
            2,Bob,Nowhere,U,1
            3,Max,Rome,U,1
            4,Zed,Nowhere,U,1
            5,,,U,1
            """;

    @Test
    void dropSendsAFailingRowToTheRejectsUnderTheFirstFailingCheckAndLoadsTheRest() {
        try (PipelineHarness pipeline = openPipeline(spec("drop", "drop"))) {
            pipeline.deliver("people_1.csv", FILE);
            pipeline.runUntilIdle();

            assertThat(rejects(pipeline)).isEqualTo(Table.parse("""
                    _file        | _line | column_name | reason                  | raw_text
                    people_1.csv | 3     | city        | check failed: city_known | 2,Bob,Nowhere,U,1
                    people_1.csv | 4     | name        | check failed: name_short | 3,Max,Rome,U,1
                    people_1.csv | 5     | city        | check failed: city_known | 4,Zed,Nowhere,U,1
                    """));
            assertThat(pipeline.raw().column("id")).containsExactly("1", "5");
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    5  | null | null
                    """));
            assertThat(pipeline.history().column("id")).containsExactly("1", "5");

            LedgerEntry entry = only(pipeline);
            assertThat(entry.status()).isEqualTo(FileStatus.LOADED_WITH_REJECTS);
            assertThat(List.of(entry.rowsLoaded(), entry.rowsRejected())).containsExactly(2L, 3L);
            assertThat(entry.firstError()).isEqualTo("line 3: city: check failed: city_known");
            // A row failing two drop checks counts under the first only.
            assertThat(entry.checks().counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.DROP, 2),
                    new CheckCounts.Count("name_short", OnFail.DROP, 1));
            assertThat(checksInStatus(pipeline)).containsExactly(
                    tuple("city_known", "drop", 0L, 2L, 0L),
                    tuple("name_short", "drop", 0L, 1L, 0L));
        }
    }

    @Test
    void warnLoadsAFailingRowAndCountsItUnderEveryWarnCheckItFails() {
        try (PipelineHarness pipeline = openPipeline(spec("warn", "warn"))) {
            pipeline.deliver("people_1.csv", FILE);
            pipeline.deliver("people_2.csv", People.HEADER + "\n6,Pat,Nowhere,U,1\n");
            pipeline.runUntilIdle();

            assertThat(rejects(pipeline).rows()).isEmpty();
            assertThat(pipeline.current().column("id")).containsExactly("1", "2", "3", "4", "5", "6");
            List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all());
            assertThat(entries).extracting(LedgerEntry::status, LedgerEntry::rowsLoaded, LedgerEntry::rowsRejected)
                    .containsExactly(tuple(FileStatus.LOADED, 5L, 0L), tuple(FileStatus.LOADED, 1L, 0L));
            assertThat(entries.get(0).checks().counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.WARN, 2),
                    new CheckCounts.Count("name_short", OnFail.WARN, 2));
            assertThat(entries.get(1).checks().counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.WARN, 1),
                    new CheckCounts.Count("name_short", OnFail.WARN, 1));
            // The totals are over every file.
            assertThat(checksInStatus(pipeline)).containsExactly(
                    tuple("city_known", "warn", 3L, 0L, 0L),
                    tuple("name_short", "warn", 3L, 0L, 0L));
            assertThat(loadHistoryChecks(pipeline)).containsExactly(
                    "city_known warned 2; name_short warned 2", "city_known warned 1; name_short warned 1");
            // The ingest runs of the task history add up their files' counts.
            assertThat(ingestRunChecks(pipeline).counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.WARN, 3),
                    new CheckCounts.Count("name_short", OnFail.WARN, 3));
        }
    }

    @Test
    void aRowDroppedByOneCheckIsNotCountedByAWarnCheckItAlsoFails() {
        try (PipelineHarness pipeline = openPipeline(spec("drop", "warn"))) {
            pipeline.deliver("people_1.csv", FILE);
            pipeline.runUntilIdle();

            assertThat(rejects(pipeline).column("_line")).containsExactly("3", "5");
            assertThat(pipeline.current().column("id")).containsExactly("1", "3", "5");
            assertThat(only(pipeline).checks().counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.DROP, 2),
                    new CheckCounts.Count("name_short", OnFail.WARN, 1));
        }
    }

    @Test
    void refuseRefusesTheWholeFileNamingTheCheckTheLineAndTheFieldAndTheOthersLoad() {
        try (PipelineHarness pipeline = openPipeline(spec("refuse", "warn"))) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.deliver("people_2.csv", FILE.replace("1,Ann,Oslo", "7,Ann,Oslo"));
            pipeline.deliver("people_3.csv", People.HEADER + "\n8,Cy,Lima,U,1\n");
            pipeline.runUntilIdle();

            // Nothing of the refused file: not its rows before the failing line, not its rejects.
            assertThat(pipeline.raw().column("_file")).containsExactly("people_1.csv", "people_3.csv");
            assertThat(rejects(pipeline).rows()).isEmpty();
            assertThat(pipeline.current().column("id")).containsExactly("1", "8");
            List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all());
            assertThat(entries).extracting(LedgerEntry::name, LedgerEntry::status).containsExactly(
                    tuple("people_1.csv", FileStatus.LOADED), tuple("people_2.csv", FileStatus.REFUSED),
                    tuple("people_3.csv", FileStatus.LOADED));
            LedgerEntry refused = entries.get(1);
            assertThat(refused.firstError()).isEqualTo(
                    "line 3: check 'city_known' failed (checks[0].must: city <> 'Nowhere') and its on_fail is refuse");
            assertThat(List.of(refused.rowsLoaded(), refused.rowsRejected())).containsExactly(0L, 0L);
            assertThat(refused.checks().counts()).containsExactly(new CheckCounts.Count("city_known", OnFail.REFUSE, 1));
            assertThat(checksInStatus(pipeline)).containsExactly(
                    tuple("city_known", "refuse", 0L, 0L, 1L),
                    tuple("name_short", "warn", 0L, 0L, 0L));
            assertThat(ingestRunChecks(pipeline).counts()).containsExactly(
                    new CheckCounts.Count("city_known", OnFail.REFUSE, 1));
        }
    }

    @Test
    void nullPassesAndAFileWhoseRowsAllPassRecordsNoCounts() {
        try (PipelineHarness pipeline = openPipeline(spec("refuse", "refuse"))) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,,,U,1\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    2  | null | null
                    """));
            LedgerEntry entry = only(pipeline);
            assertThat(entry.status()).isEqualTo(FileStatus.LOADED);
            assertThat(entry.checks().isEmpty()).isTrue();
            assertThat(checksInStatus(pipeline)).containsExactly(
                    tuple("city_known", "refuse", 0L, 0L, 0L),
                    tuple("name_short", "refuse", 0L, 0L, 0L));
        }
    }

    @Test
    void aDeleteRowIsCheckedTooUnlessTheConditionExemptsIt() {
        String spec = People.SPEC + """
                checks:
                  - {name: city_known, must: "city <> 'Nowhere'", on_fail: drop}
                  - {name: name_short, must: "op = 'D' OR name < 'M'", on_fail: drop}
                """;
        try (PipelineHarness pipeline = openPipeline(spec)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            // Both deletes carry values that fail a check: the first is dropped, so its key is not deleted;
            // the second is exempt from name_short by its condition.
            pipeline.deliver("people_2.csv", People.HEADER + "\n1,Ann,Nowhere,D,2\n2,Zed,Rome,D,2\n");
            pipeline.runUntilIdle();

            assertThat(rejects(pipeline)).isEqualTo(Table.parse("""
                    _file        | _line | column_name | reason                  | raw_text
                    people_2.csv | 2     | city        | check failed: city_known | 1,Ann,Nowhere,D,2
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    """));
        }
    }

    /**
     * A dropped update and a refused file leave the tables as if those rows had never landed, however the files are
     * processed (all at once, one by one, in batches), as the reference model, which reads with core's reader, says.
     */
    @Test
    void droppedRowsAndRefusedFilesLeaveNoTraceInTheTablesHoweverTheFilesAreProcessed() {
        assertScenario(Scenario.named("checks over three files")
                .spec(spec("drop", "refuse"))
                .file("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n")
                .file("people_2.csv", People.HEADER + "\n1,Ann,Nowhere,U,2\n2,Bob,Lima,U,2\n")
                .file("people_3.csv", People.HEADER + "\n1,Ann,Bergen,U,3\n3,Zed,Oslo,U,1\n")
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Bob  | Lima
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | null
                        2  | Bob  | Rome | 1          | 2
                        2  | Bob  | Lima | 2          | null
                        """)
                .build());
    }

    /** The check counts of every ingest run in the task history, added up. */
    private static CheckCounts ingestRunChecks(PipelineHarness pipeline) {
        CheckCounts sum = CheckCounts.NONE;
        for (TaskRun run : pipeline.engine().taskHistory(StatusView.LATEST)) {
            if (run.task() == PipelineTask.INGEST) {
                sum = sum.plus(run.checks());
            }
        }
        return sum;
    }

    private static LedgerEntry only(PipelineHarness pipeline) {
        List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all());
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    /** The rows of the status' checks section: check, on_fail, warned, dropped, files_refused. */
    private static List<Tuple> checksInStatus(PipelineHarness pipeline) {
        QueryResult rows = section(pipeline, StatusView.CHECKS);
        assertThat(rows.columns()).containsExactly("check", "on_fail", "warned", "dropped", "files_refused");
        return rows.rows().stream().map(r -> tuple(r.toArray())).toList();
    }

    /** The checks column of the status' load history, oldest file first. */
    private static List<Object> loadHistoryChecks(PipelineHarness pipeline) {
        QueryResult rows = section(pipeline, StatusView.LOAD_HISTORY);
        int checks = rows.columns().indexOf("checks");
        List<Object> values = new ArrayList<>(rows.rows().stream().map(r -> r.get(checks)).toList());
        // The load history is newest first.
        Collections.reverse(values);
        return values;
    }

    private static QueryResult section(PipelineHarness pipeline, String title) {
        for (StatusSection section : StatusView.of(pipeline.engine(), pipeline.spec().tables(), pipeline.spec().checks())) {
            if (section.title().equals(title)) {
                return section.rows();
            }
        }
        throw new AssertionError("the status has no section " + title);
    }

    private static Table rejects(PipelineHarness pipeline) {
        List<String> columns = List.of("_file", "_line", "column_name", "reason", "raw_text");
        String select = "SELECT " + String.join(", ", columns.stream().map(PipelineHarness::quote).toList())
                + " FROM " + PipelineHarness.quote(pipeline.spec().tables().rejects()) + " ORDER BY _file_id, _line";
        return pipeline.table(select, columns, Arrays.asList(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR,
                ColumnType.VARCHAR, ColumnType.VARCHAR));
    }
}
