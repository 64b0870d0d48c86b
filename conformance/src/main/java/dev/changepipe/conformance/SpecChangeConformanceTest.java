package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.ColumnType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spec changed between runs over the same warehouse, rules 1.11 and 1.12 of docs/semantics.md: a type given later to
 * a column files added, and rescued values moved into a column once the spec adds or declares it, so that the tables
 * are those the spec would have made had it said so from the first file.
 */
public abstract class SpecChangeConformanceTest extends ConformanceSuite {

    static final String ADDING = People.SPEC + "schema: {new_columns: add}\n";

    /** People with a phone declared, of the given type, after the columns they had. */
    static String declaringPhone(String type, String schema) {
        return People.SPEC.replace("seq: bigint}", "seq: bigint, phone: " + type + "}") + schema;
    }

    static final String FIRST = "id,name,city,op,seq,phone\n1,Ann,Oslo,U,1,007\n2,Bob,Rome,U,1,\n";
    static final String SECOND = "id,name,city,op,seq,phone\n1,Ann,Oslo,U,2,7\n";

    @Test
    void aTypeGivenLaterToAnAddedColumnTypesEveryTableAndDerivesTheHistoryAgain() {
        Path dir = workDir.resolve("typed");
        try (PipelineHarness pipeline = open(dir, ADDING)) {
            pipeline.deliver("people_1.csv", FIRST);
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", SECOND);
            pipeline.runUntilIdle();
            // As text, 007 and 7 differ: the second file opened a version.
            assertThat(pipeline.history().column("phone")).containsExactly("007", "7", null);
        }
        try (PipelineHarness pipeline = open(dir, declaringPhone("integer", "schema: {new_columns: add}\n"))) {
            pipeline.deliver("people_3.csv", "id,name,city,op,seq,phone\n2,Bob,Rome,U,2,x1\n3,Cy,Lima,U,1,42\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.engine().shape().addedColumns()).containsExactly("phone");
            assertThat(pipeline.table("SELECT id, phone + 1 AS next FROM " + raw(pipeline) + " ORDER BY _file_id, _line",
                    List.of("id", "next"), List.of(ColumnType.BIGINT, ColumnType.BIGINT))).isEqualTo(Table.parse("""
                    id | next
                    1  | 8
                    2  | null
                    1  | 8
                    3  | 43
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city | phone
                    1  | Ann  | Oslo | 7
                    2  | Bob  | Rome | null
                    3  | Cy   | Lima | 42
                    """));
            // Derived again as if typed from the start: 007 and 7 are one value, so Ann has one version.
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city | phone | start_time | end_time | is_current
                    1  | Ann  | Oslo | 7     | 1          | null     | true
                    2  | Bob  | Rome | null  | 1          | null     | true
                    3  | Cy   | Lima | 42    | 1          | null     | true
                    """));
            assertThat(pipeline.table("SELECT _change_type, id, phone FROM " + changes(pipeline)
                    + " WHERE phone IS NOT NULL ORDER BY _commit_version, id, _change_type",
                    List.of("_change_type", "id", "phone"), List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.INTEGER)))
                    .as("the feed so far with the type, and no change for the retyping").isEqualTo(Table.parse("""
                    _change_type     | id | phone
                    insert           | 1  | 7
                    update_postimage | 1  | 7
                    update_preimage  | 1  | 7
                    insert           | 3  | 42
                    """));
            // From then on a value that does not read as the type is a reject (rule 1.4).
            assertThat(pipeline.engine().rejects(10)).extracting(r -> r.file(), r -> r.line(), r -> r.column(), r -> r.reason())
                    .containsExactly(tuple("people_3.csv", 2L, "phone", "cannot read 'x1' as integer"));
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::status, LedgerEntry::rowsRejected)
                    .containsExactly(tuple(FileStatus.LOADED, 0L), tuple(FileStatus.LOADED, 0L),
                            tuple(FileStatus.LOADED_WITH_REJECTS, 1L));
        }
    }

    @Test
    void aTypeAStoredValueDoesNotReadAsIsRefusedAtStartNamingItsFileAndLineAndChangesNothing() {
        Path dir = workDir.resolve("untypable");
        try (PipelineHarness pipeline = open(dir, ADDING)) {
            pipeline.deliver("people_1.csv", FIRST);
            pipeline.deliver("people_2.csv", "id,name,city,op,seq,phone\n3,Cy,Lima,U,1,555\n4,Di,Pisa,U,1,n/a\n");
            pipeline.runUntilIdle();
        }
        assertThatThrownBy(() -> open(dir, declaringPhone("integer", "schema: {new_columns: add}\n")).close())
                .isInstanceOf(ChangepipeException.class)
                .hasMessage("column phone of table people_raw cannot be typed integer as the spec now says: people_2.csv"
                        + " line 3 has 'n/a', which cannot be read as integer (rule 1.11); keep it varchar, or give it a"
                        + " type every stored value reads as");
        try (PipelineHarness pipeline = open(dir, ADDING)) {
            assertThat(pipeline.raw().column("phone")).containsExactly("007", null, "555", "n/a");
            assertThat(pipeline.current().column("phone")).containsExactly("007", null, "555", "n/a");
        }
    }

    @Test
    void switchingRescueToAddMovesTheRescuedValuesIntoAColumnAndTheTablesAreThoseAddWouldHaveMade() {
        // Its last column is unnamed: rescued as _c6, under either policy, since it can be no column.
        String third = People.HEADER + ",phone,\n2,Bob,Rome,U,2,555,\n3,Cy,Lima,U,1,,x\n";
        Table expectedCurrent;
        Table expectedHistory;
        try (PipelineHarness pipeline = open(workDir.resolve("added"), ADDING)) {
            pipeline.deliver("people_1.csv", FIRST);
            pipeline.deliver("people_2.csv", SECOND);
            pipeline.deliver("people_3.csv", third);
            pipeline.runUntilIdle();
            expectedCurrent = pipeline.current();
            expectedHistory = pipeline.history();
        }
        Path dir = workDir.resolve("rescued");
        try (PipelineHarness pipeline = open(dir, People.SPEC)) {
            pipeline.deliver("people_1.csv", FIRST);
            pipeline.deliver("people_2.csv", SECOND);
            pipeline.deliver("people_3.csv", third);
            pipeline.runUntilIdle();
            // Queried back with the engine's JSON functions while rescued: SchemaPolicyConformanceTest.
            assertThat(pipeline.raw().column("_rescued")).containsExactly("{\"phone\":\"007\"}", null,
                    "{\"phone\":\"7\"}", "{\"phone\":\"555\",\"_c6\":null}", "{\"phone\":null,\"_c6\":\"x\"}");
        }
        try (PipelineHarness pipeline = open(dir, ADDING)) {
            assertThat(pipeline.engine().shape().addedColumns()).containsExactly("phone");
            assertThat(pipeline.raw().project(List.of("id", "phone", "_rescued"))).isEqualTo(Table.parse("""
                    id | phone | _rescued
                    1  | 007   | null
                    2  | null  | null
                    1  | 7     | null
                    2  | 555   | null
                    3  | null  | {"_c6":"x"}
                    """));
            pipeline.runUntilIdle();
            assertThat(pipeline.current()).isEqualTo(expectedCurrent);
            assertThat(pipeline.history()).isEqualTo(expectedHistory);
            assertThat(pipeline.current().column("phone")).containsExactly("7", "555", null);
            // The feed shows the move as one run's updates of the keys it changed.
            assertThat(pipeline.table("SELECT _change_type, id, phone FROM " + changes(pipeline) + " WHERE _commit_version"
                    + " = (SELECT max(_commit_version) FROM " + changes(pipeline) + ") ORDER BY id, _change_type",
                    List.of("_change_type", "id", "phone"), List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR)))
                    .isEqualTo(Table.parse("""
                    _change_type     | id | phone
                    update_postimage | 1  | 7
                    update_preimage  | 1  | null
                    update_postimage | 2  | 555
                    update_preimage  | 2  | null
                    """));
            assertThat(pipeline.engine().rejects(10)).isEmpty();
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::drift).containsExactly(
                    new HeaderDrift(List.of("phone"), List.of()), new HeaderDrift(List.of("phone"), List.of()),
                    new HeaderDrift(List.of("phone"), List.of()));
        }
    }

    @Test
    void declaringARescuedColumnFillsItWithItsTypeAndAFileWithoutItStillLoads() {
        Path dir = workDir.resolve("declared");
        try (PipelineHarness pipeline = open(dir, People.SPEC)) {
            pipeline.deliver("people_1.csv", FIRST);
            pipeline.deliver("people_2.csv", "id,name,city,op,seq,PHONE\n1,Ann,Bergen,U,2,2024-01-01\n");
            pipeline.runUntilIdle();
        }
        assertThatThrownBy(() -> open(dir, declaringPhone("bigint", "")).close())
                .isInstanceOf(ChangepipeException.class)
                .hasMessage("column phone of table people_raw cannot take the values files brought for it before the spec"
                        + " declared it: people_2.csv line 2 has '2024-01-01' (in _rescued), which cannot be read as bigint"
                        + " (rule 1.12); declare it as varchar, or as a type every such value reads as");
        assertThatThrownBy(() -> open(dir, People.SPEC.replace("id: bigint, ", "id: bigint, region: varchar, ")
                .replace("keys: [id]", "keys: [id, region]")).close())
                .isInstanceOf(ChangepipeException.class)
                .hasMessageStartingWith("column region is declared but table people_raw has no such column: a key");
        // A spec the tables cannot take is refused before anything changes: a column declared with it joins nothing.
        assertThatThrownBy(() -> open(dir, declaringPhone("varchar", "").replace("city: varchar", "town: varchar")).close())
                .isInstanceOf(ChangepipeException.class)
                .hasMessageContaining("changing the columns of an existing pipeline is not supported");
        try (PipelineHarness pipeline = open(dir, declaringPhone("varchar", ""))) {
            assertThat(pipeline.engine().shape().addedColumns()).containsExactly("phone");
            pipeline.deliver("people_3.csv", People.HEADER + "\n2,Bob,Rome,U,2\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.raw().project(List.of("id", "phone", "_rescued"))).isEqualTo(Table.parse("""
                    id | phone      | _rescued
                    1  | 007        | null
                    2  | null       | null
                    1  | 2024-01-01 | null
                    2  | null       | null
                    """));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city   | phone
                    1  | Ann  | Bergen | 2024-01-01
                    2  | Bob  | Rome   | null
                    """));
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city   | phone      | start_time | end_time | is_current
                    1  | Ann  | Oslo   | 007        | 1          | 2        | false
                    1  | Ann  | Bergen | 2024-01-01 | 2          | null     | true
                    2  | Bob  | Rome   | null       | 1          | null     | true
                    """));
            assertThat(pipeline.engine().rejects(10)).isEmpty();
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::status)
                    .containsExactly(FileStatus.LOADED, FileStatus.LOADED, FileStatus.LOADED);
        }
    }

    private PipelineHarness open(Path dir, String spec) {
        return PipelineHarness.open(dir, spec, engineType(), engineOptions());
    }

    private static String raw(PipelineHarness pipeline) {
        return PipelineHarness.quote(pipeline.spec().tables().raw());
    }

    private static String changes(PipelineHarness pipeline) {
        return PipelineHarness.quote(pipeline.spec().tables().changes());
    }
}
