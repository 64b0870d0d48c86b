package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.ColumnType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files that change shape, rule 1.8 of docs/semantics.md: the values of a column the spec does not declare are
 * rescued into the raw table's {@code _rescued} as JSON text (or refuse their file), a spec column a header lacks
 * refuses its file or loads as NULL, and the ledger says which file brought or lacked which column.
 */
public abstract class SchemaPolicyConformanceTest extends ConformanceSuite {

    /** The engine's SQL for the text of field {@code key} of the JSON text in {@code column}: users query rescued values so. */
    protected abstract String jsonField(String column, String key);

    static final String SPEC_MISSING_NULL = People.SPEC + "schema: {missing_columns: null}\n";

    @Test
    void rescueKeepsTheValuesOfANewColumnInRawAsJsonAndTheTablesAreAsWithoutIt() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.deliver("people_2.csv", """
                    id,name,phone,city,op,seq,fax
                    1,Ann,"+47 22 ""00""\",Bergen,U,2,
                    2,Bob,,Rome,U,1,
                    """);
            pipeline.runUntilIdle();

            assertThat(rescued(pipeline)).isEqualTo(Table.parse("""
                    _file        | _line | _rescued
                    people_1.csv | 2     | null
                    people_2.csv | 2     | {"phone":"+47 22 \\"00\\"","fax":null}
                    people_2.csv | 3     | null
                    """));
            assertThat(pipeline.table("SELECT id, " + jsonField("_rescued", "phone") + " FROM "
                    + PipelineHarness.quote(pipeline.spec().tables().raw()) + " ORDER BY _file_id, _line",
                    List.of("id", "phone"), List.of(ColumnType.BIGINT, ColumnType.VARCHAR))).isEqualTo(Table.parse("""
                    id | phone
                    1  | null
                    1  | +47 22 "00"
                    2  | null
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Bergen
                    2  | Bob  | Rome
                    """));
            assertThat(pipeline.history().column("id")).containsExactly("1", "1", "2");
            assertThat(drifts(pipeline)).containsExactly(HeaderDrift.NONE,
                    new HeaderDrift(List.of("phone", "fax"), List.of()));
            assertThat(driftsInStatus(pipeline)).containsExactly("", "new phone, fax");
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::status)
                    .containsExactly(FileStatus.LOADED, FileStatus.LOADED);
        }
    }

    @Test
    void newColumnsFailRefusesAFileWithAColumnTheSpecLacksNamingItAndTheNextFileLoads() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC + "schema: {new_columns: fail}\n")) {
            pipeline.deliver("people_1.csv", "id,name,city,op,seq,phone\n1,Ann,Oslo,U,1,555\n");
            pipeline.deliver("people_2.csv", People.HEADER + "\n2,Bob,Rome,U,1\n");
            pipeline.runUntilIdle();

            List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all());
            assertThat(entries).extracting(LedgerEntry::name, LedgerEntry::status, LedgerEntry::firstError).containsExactly(
                    tuple("people_1.csv", FileStatus.REFUSED,
                            "line 1: the header has column 'phone', which the spec does not declare, and schema.new_columns is fail"),
                    tuple("people_2.csv", FileStatus.LOADED, null));
            assertThat(pipeline.raw().column("id")).containsExactly("2");
            assertThat(pipeline.current().column("id")).containsExactly("2");
        }
    }

    @Test
    void byDefaultAFileLackingASpecColumnIsRefusedNamingIt() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", "id,name,op,seq\n1,Ann,U,1\n");
            pipeline.runUntilIdle();

            LedgerEntry entry = pipeline.engine().ledger(LedgerQuery.all()).get(0);
            assertThat(entry.status()).isEqualTo(FileStatus.REFUSED);
            assertThat(entry.firstError()).isEqualTo("line 1: the header has no column 'city'; it has: id, name, op, seq");
            assertThat(pipeline.raw().rows()).isEmpty();
        }
    }

    @Test
    void missingColumnsNullLoadsAValueColumnTheHeaderLacksAsNullAndTheLedgerSaysSo() {
        try (PipelineHarness pipeline = openPipeline(SPEC_MISSING_NULL)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.deliver("people_2.csv", "id,name,op,seq\n1,Ann,U,2\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | null
                    2  | Bob  | Rome
                    """));
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city | start_time | end_time | is_current
                    1  | Ann  | Oslo | 1          | 2        | false
                    1  | Ann  | null | 2          | null     | true
                    2  | Bob  | Rome | 1          | null     | true
                    """));
            assertThat(drifts(pipeline)).containsExactly(HeaderDrift.NONE, new HeaderDrift(List.of(), List.of("city")));
            assertThat(driftsInStatus(pipeline)).containsExactly("", "missing city");
        }
    }

    @Test
    void keysTheSequenceAndEveryColumnAPredicateReadsAreRequiredWhateverMissingColumnsSays() {
        try (PipelineHarness pipeline = openPipeline(SPEC_MISSING_NULL)) {
            pipeline.deliver("people_1.csv", "id,name,city,seq\n1,Ann,Oslo,1\n");
            pipeline.deliver("people_2.csv", "id,name,city,op\n1,Ann,Oslo,U\n");
            pipeline.deliver("people_3.csv", "name,city,op,seq\nAnn,Oslo,U,1\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::status, LedgerEntry::firstError)
                    .containsExactly(
                            tuple(FileStatus.REFUSED, "line 1: the header has no column 'op'; it has: id, name, city, seq"
                                    + REQUIRED_NOTE),
                            tuple(FileStatus.REFUSED, "line 1: the header has no column 'seq'; it has: id, name, city, op"
                                    + REQUIRED_NOTE),
                            tuple(FileStatus.REFUSED, "line 1: the header has no column 'id'; it has: name, city, op, seq"
                                    + REQUIRED_NOTE));
            assertThat(pipeline.raw().rows()).isEmpty();
        }
    }

    private static final String REQUIRED_NOTE = " (keys, sequence_by and the columns delete_when, apply_as_truncates and"
            + " checks read are required whatever schema.missing_columns says)";

    @Test
    void aHeaderThatAddsAndLacksColumnsAtOnceRescuesTheOneAndLoadsTheOtherAsNull() {
        try (PipelineHarness pipeline = openPipeline(SPEC_MISSING_NULL)) {
            pipeline.deliver("people_1.csv", "seq,phone,id,op,name\n1,555,1,U,Ann\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | null
                    """));
            assertThat(rescued(pipeline).column("_rescued")).containsExactly("{\"phone\":\"555\"}");
            assertThat(drifts(pipeline)).containsExactly(new HeaderDrift(List.of("phone"), List.of("city")));
            assertThat(driftsInStatus(pipeline)).containsExactly("new phone; missing city");
        }
    }

    /** A restart changes nothing of what was loaded; a file with a new column after it is rescued as any other. */
    @Test
    void aPipelineRestartedWithANewColumnKeepsItsRowsAndRescuesTheNewValues() {
        Path dir = workDir.resolve("restarted");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, People.SPEC, engineType(), engineOptions())) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.runUntilIdle();
        }
        try (PipelineHarness pipeline = PipelineHarness.open(dir, People.SPEC, engineType(), engineOptions())) {
            pipeline.deliver("people_2.csv", People.HEADER + ",phone\n1,Ann,Rome,U,2,555\n");
            pipeline.runUntilIdle();

            assertThat(rescued(pipeline).column("_rescued")).containsExactly(null, "{\"phone\":\"555\"}");
            assertThat(pipeline.current().column("city")).containsExactly("Rome");
        }
    }

    static final String SPEC_ADDING = People.SPEC + "schema: {new_columns: add}\n";

    @Test
    void addAddsANewColumnToEveryTableWithNullForEarlierRowsAndTracksIt() {
        try (PipelineHarness pipeline = openPipeline(SPEC_ADDING)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.deliver("people_2.csv", "id,name,phone,city,op,seq\n1,Ann,555,Oslo,U,2\n3,Cy,,Lima,U,1\n");
            pipeline.deliver("people_3.csv", People.HEADER + "\n2,Bob,Rome,U,2\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.engine().shape().addedColumns()).containsExactly("phone");
            assertThat(pipeline.raw().project(List.of("id", "_file", "_rescued"))).isEqualTo(Table.parse("""
                    id | _file        | _rescued
                    1  | people_1.csv | null
                    2  | people_1.csv | null
                    1  | people_2.csv | null
                    3  | people_2.csv | null
                    2  | people_3.csv | null
                    """));
            assertThat(pipeline.raw().project(List.of("id", "phone"))).isEqualTo(Table.parse("""
                    id | phone
                    1  | null
                    2  | null
                    1  | 555
                    3  | null
                    2  | null
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city | phone
                    1  | Ann  | Oslo | 555
                    2  | Bob  | Rome | null
                    3  | Cy   | Lima | null
                    """));
            // A tracked column: 555 opens a version of its own, as a declared column's new value would.
            assertThat(pipeline.history().project(List.of("id", "start_time", "end_time"))).isEqualTo(Table.parse("""
                    id | start_time | end_time
                    1  | 1          | 2
                    1  | 2          | null
                    2  | 1          | null
                    3  | 1          | null
                    """));
            assertThat(pipeline.table("SELECT _change_type, id, phone FROM " + PipelineHarness.quote(pipeline.spec().tables()
                    .changes()) + " WHERE phone IS NOT NULL", List.of("_change_type", "id", "phone"),
                    List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR))).isEqualTo(Table.parse("""
                    _change_type     | id | phone
                    update_postimage | 1  | 555
                    """));
            List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all());
            assertThat(entries).extracting(LedgerEntry::name, LedgerEntry::status).containsExactly(
                    tuple("people_1.csv", FileStatus.LOADED), tuple("people_2.csv", FileStatus.LOADED),
                    tuple("people_3.csv", FileStatus.LOADED));
            assertThat(drifts(pipeline)).containsExactly(HeaderDrift.NONE, new HeaderDrift(List.of("phone"), List.of()),
                    HeaderDrift.NONE);
        }
    }

    @Test
    void aColumnAddedStaysAcrossARestartAndALateFileWithItGivesTheTablesAnEarlyOneWould() {
        String early = "id,name,city,op,seq,phone\n1,Ann,Oslo,U,1,555\n";
        String late = People.HEADER + "\n1,Ann,Rome,U,2\n";
        Table expected;
        try (PipelineHarness pipeline = openPipeline(SPEC_ADDING)) {
            pipeline.deliver("people_1.csv", early);
            pipeline.deliver("people_2.csv", late);
            pipeline.runUntilIdle();
            expected = pipeline.current();
        }
        Path dir = workDir.resolve("added-later");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, SPEC_ADDING, engineType(), engineOptions())) {
            pipeline.deliver("people_2.csv", late);
            pipeline.runUntilIdle();
        }
        try (PipelineHarness pipeline = PipelineHarness.open(dir, SPEC_ADDING, engineType(), engineOptions())) {
            pipeline.deliver("people_1.csv", early);
            pipeline.runUntilIdle();
            assertThat(pipeline.current()).isEqualTo(expected).isEqualTo(Table.parse("""
                    id | name | city | phone
                    1  | Ann  | Rome | null
                    """));
        }
        try (PipelineHarness pipeline = PipelineHarness.open(dir, SPEC_ADDING, engineType(), engineOptions())) {
            assertThat(pipeline.engine().shape().addedColumns()).as("after a restart").containsExactly("phone");
            pipeline.deliver("people_3.csv", "id,name,city,op,seq,PHONE\n2,Bob,Lima,U,1,777\n");
            pipeline.runUntilIdle();
            assertThat(pipeline.current().column("phone")).containsExactly(null, "777");
        }
    }

    @Test
    void aColumnThatCannotBeATableColumnRefusesItsFileNamingIt() {
        try (PipelineHarness pipeline = openPipeline(SPEC_ADDING)) {
            pipeline.deliver("people_1.csv", "id,name,city,op,seq,end_time\n1,Ann,Oslo,U,1,x\n");
            pipeline.runUntilIdle();

            LedgerEntry entry = pipeline.engine().ledger(LedgerQuery.all()).get(0);
            assertThat(entry.status()).isEqualTo(FileStatus.REFUSED);
            assertThat(entry.firstError()).isEqualTo("line 1: column 'end_time' cannot be added to the tables"
                    + " (schema.new_columns is add): the history table names a column of its own so (history_columns)");
            assertThat(pipeline.engine().shape().addedColumns()).isEmpty();
        }
    }

    /** People with an age, and a sequence of the given type: a spec that may widen both (rule 1.9). */
    static String agedSpec(String ageType, String sequenceType) {
        return """
                name: people
                columns: {id: bigint, name: varchar, age: %s, op: varchar, seq: %s}
                keys: [id]
                sequence_by: seq
                delete_when: "op = 'D'"
                except_columns: [op, seq]
                """.formatted(ageType, sequenceType);
    }

    @Test
    void aTypeWidenedInTheSpecMigratesEveryTableKeepingItsValues() {
        Path dir = workDir.resolve("widened");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, agedSpec("integer", "integer"), engineType(),
                engineOptions())) {
            pipeline.deliver("people_1.csv", "id,name,age,op,seq\n1,Ann,30,U,1\n2,Bob,40,U,1\n");
            pipeline.runUntilIdle();
        }
        try (PipelineHarness pipeline = PipelineHarness.open(dir, agedSpec("bigint", "bigint"), engineType(),
                engineOptions())) {
            pipeline.deliver("people_2.csv", "id,name,age,op,seq\n1,Ann,3000000000,U,5000000000\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.raw().project(List.of("id", "age", "seq"))).isEqualTo(Table.parse("""
                    id | age        | seq
                    1  | 30         | 1
                    2  | 40         | 1
                    1  | 3000000000 | 5000000000
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | age
                    1  | Ann  | 3000000000
                    2  | Bob  | 40
                    """));
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | age        | start_time | end_time   | is_current
                    1  | Ann  | 30         | 1          | 5000000000 | false
                    1  | Ann  | 3000000000 | 5000000000 | null       | true
                    2  | Bob  | 40         | 1          | null       | true
                    """));
            // The change feed reads across the change with the wider type.
            assertThat(pipeline.table("SELECT _change_type, id, age FROM " + PipelineHarness.quote(pipeline.spec().tables()
                    .changes()) + " ORDER BY _commit_version, id, _change_type", List.of("_change_type", "id", "age"),
                    List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.BIGINT))).isEqualTo(Table.parse("""
                    _change_type     | id | age
                    insert           | 1  | 30
                    insert           | 2  | 40
                    update_postimage | 1  | 3000000000
                    update_preimage  | 1  | 30
                    """));
            // A consumer reads it so too, from its start, in two batches: before the change, then across it.
            List<FeedChange> first = pipeline.engine().readChangeFeed("reader", 1).changes();
            assertThat(first).extracting(FeedChange::changeType, c -> c.values().get("age"))
                    .containsExactlyInAnyOrder(tuple("insert", 30L), tuple("insert", 40L));
            pipeline.engine().commitFeedOffset("reader", first.get(0).commitVersion());
            assertThat(pipeline.engine().readChangeFeed("reader", 100).changes())
                    .extracting(FeedChange::changeType, c -> c.values().get("age"))
                    .containsExactly(tuple("update_preimage", 30L), tuple("update_postimage", 3_000_000_000L));
        }
    }

    @Test
    void aTypeNarrowedInTheSpecIsRefusedAtStartNamingTheColumnAndChangesNothing() {
        Path dir = workDir.resolve("narrowed");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, agedSpec("bigint", "bigint"), engineType(),
                engineOptions())) {
            pipeline.deliver("people_1.csv", "id,name,age,op,seq\n1,Ann,3000000000,U,1\n");
            pipeline.runUntilIdle();
        }
        assertThatThrownBy(() -> PipelineHarness.open(dir, agedSpec("integer", "bigint"), engineType(), engineOptions())
                .close())
                .isInstanceOf(ChangepipeException.class)
                .hasMessageContaining("column age of table people_raw in warehouse")
                .hasMessageContaining("is bigint but the spec says integer: narrowing a type could change stored values,"
                        + " so it is refused");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, agedSpec("bigint", "bigint"), engineType(),
                engineOptions())) {
            assertThat(pipeline.current().column("age")).containsExactly("3000000000");
        }
    }

    /** Each loaded row's file, line and rescued values, in load order. */
    static Table rescued(PipelineHarness pipeline) {
        return pipeline.raw().project(List.of("_file", "_line", "_rescued"));
    }

    private static List<HeaderDrift> drifts(PipelineHarness pipeline) {
        return pipeline.engine().ledger(LedgerQuery.all()).stream().map(LedgerEntry::drift).toList();
    }

    /** The header_drift column of the status' load history, oldest file first. */
    private static List<Object> driftsInStatus(PipelineHarness pipeline) {
        for (StatusSection section : StatusView.of(pipeline.engine(), pipeline.spec().tables(), pipeline.spec().checks())) {
            if (section.title().equals(StatusView.LOAD_HISTORY)) {
                QueryResult rows = section.rows();
                int drift = rows.columns().indexOf("header_drift");
                List<Object> values = new java.util.ArrayList<>(rows.rows().stream().map(r -> r.get(drift)).toList());
                Collections.reverse(values);
                return values;
            }
        }
        throw new AssertionError("the status has no load history");
    }
}
