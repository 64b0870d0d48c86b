package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.ColumnType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshot files, §7 of docs/semantics.md: each file is the whole table as of its snapshot time, a key a snapshot lacks
 * is deleted at its time, and the tables depend only on the set of snapshots, whatever order they come in.
 */
public abstract class SnapshotConformanceTest extends ConformanceSuite {

    static final String SPEC = """
            name: people
            columns: {id: bigint, name: varchar, city: varchar, taken: bigint}
            keys: [id]
            sequence_by: taken
            except_columns: [taken]
            mode: snapshot
            """;
    static final String HEADER = "id,name,city,taken\n";

    static String dump(long taken, String... rows) {
        StringBuilder out = new StringBuilder(HEADER);
        for (String row : rows) {
            out.append(row).append(',').append(taken).append('\n');
        }
        return out.toString();
    }

    @Test
    void aKeyTheNextSnapshotLacksIsDeletedAtItsTimeAndOneThatReturnsOpensANewVersion() {
        try (PipelineHarness pipeline = openPipeline(SPEC)) {
            pipeline.deliver("people_1.csv", dump(1, "1,Ann,Oslo", "2,Bob,Rome"));
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", dump(2, "1,Ann,Oslo"));
            pipeline.runUntilIdle();
            assertThat(pipeline.current().column("id")).as("after the snapshot that lacks Bob").containsExactly("1");
            pipeline.deliver("people_3.csv", dump(3, "1,Ann,Oslo", "2,Bob,Lima"));
            pipeline.runUntilIdle();

            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    2  | Bob  | Lima
                    """));
            // Ann is in every snapshot, unchanged: one version, and nothing in the feed after her insert.
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city | start_time | end_time | is_current
                    1  | Ann  | Oslo | 1          | null     | true
                    2  | Bob  | Rome | 1          | 2        | false
                    2  | Bob  | Lima | 3          | null     | true
                    """));
            assertThat(pipeline.table("SELECT _change_type, id, city FROM " + PipelineHarness.quote(pipeline.spec().tables()
                    .changes()) + " ORDER BY _commit_version, id", List.of("_change_type", "id", "city"),
                    List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR))).isEqualTo(Table.parse("""
                    _change_type | id | city
                    insert       | 1  | Oslo
                    insert       | 2  | Rome
                    delete       | 2  | Rome
                    insert       | 2  | Lima
                    """));
        }
    }

    @Test
    void aLateSnapshotLackingAKeyClosesItAtItsTimeAndTheTablesAreThoseOfTheSnapshotsInOrder() {
        String first = dump(1, "1,Ann,Oslo", "2,Bob,Rome");
        String second = dump(2, "2,Bob,Rome", "3,Cy,Pisa");
        String third = dump(3, "1,Ann,Oslo", "2,Bob,Rome");
        Table current;
        Table history;
        try (PipelineHarness inOrder = openPipeline(SPEC)) {
            for (String[] file : List.of(new String[] {"people_1.csv", first}, new String[] {"people_2.csv", second},
                    new String[] {"people_3.csv", third})) {
                inOrder.deliver(file[0], file[1]);
                inOrder.runUntilIdle();
            }
            current = inOrder.current();
            history = inOrder.history();
        }
        try (PipelineHarness late = openPipeline(SPEC)) {
            late.deliver("people_1.csv", first);
            late.deliver("people_3.csv", third);
            late.runUntilIdle();
            assertThat(late.history().column("id")).as("before the late snapshot").containsExactly("1", "2");
            late.deliver("people_2.csv", second);
            late.runUntilIdle();

            assertThat(late.current()).isEqualTo(current);
            assertThat(late.history()).isEqualTo(history).isEqualTo(Table.parse("""
                    id | name | city | start_time | end_time | is_current
                    1  | Ann  | Oslo | 1          | 2        | false
                    1  | Ann  | Oslo | 3          | null     | true
                    2  | Bob  | Rome | 1          | null     | true
                    3  | Cy   | Pisa | 2          | 3        | false
                    """));
        }
    }

    @Test
    void ofTwoSnapshotsWithOneTimeTheLaterToArriveReplacesTheEarlierWhole() {
        try (PipelineHarness pipeline = openPipeline(SPEC)) {
            pipeline.deliver("people_1.csv", dump(1, "1,Ann,Oslo", "2,Bob,Rome"));
            pipeline.deliver("people_2.csv", dump(2, "1,Ann,Oslo", "2,Bob,Rome", "3,Cy,Pisa"));
            pipeline.runUntilIdle();
            // A new version of the file, or another file of the same second: it is the snapshot at 2 now.
            pipeline.deliver("people_2b.csv", dump(2, "1,Ann,Bergen", "2,Bob,Rome"));
            pipeline.runUntilIdle();

            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Bergen
                    2  | Bob  | Rome
                    """));
            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city   | start_time | end_time | is_current
                    1  | Ann  | Oslo   | 1          | 2        | false
                    1  | Ann  | Bergen | 2          | null     | true
                    2  | Bob  | Rome   | 1          | null     | true
                    """));
        }
    }

    @Test
    void aSnapshotThatCannotBeTakenWholeIsRefusedAndDeletesNothing() {
        try (PipelineHarness pipeline = openPipeline(SPEC)) {
            pipeline.deliver("people_1.csv", dump(1, "1,Ann,Oslo", "2,Bob,Rome"));
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", HEADER);
            pipeline.deliver("people_3.csv", HEADER + "1,Ann,Oslo,3\n2,Bob,Rome,4\n");
            pipeline.deliver("people_4.csv", HEADER + "1,Ann,Oslo,5\nx,Bob,Rome,5\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::name, LedgerEntry::status,
                    LedgerEntry::firstError).containsExactly(
                    tuple("people_1.csv", FileStatus.LOADED, null),
                    tuple("people_2.csv", FileStatus.REFUSED,
                            "the snapshot has no rows: a snapshot without rows is never taken as every key gone (mode: snapshot)"),
                    tuple("people_3.csv", FileStatus.REFUSED, "line 3: taken is 4 but line 2 has 3: a snapshot is the table"
                            + " at one time (mode: snapshot, sequence_by taken)"),
                    tuple("people_4.csv", FileStatus.REFUSED, "line 3: id: cannot read 'x' as bigint; a snapshot with a row"
                            + " that cannot be loaded is refused whole, so that the row's key is not taken as gone"
                            + " (mode: snapshot)"));
            assertThat(pipeline.engine().rejects(10)).isEmpty();
            assertThat(pipeline.current().column("id")).containsExactly("1", "2");
            assertThat(pipeline.history().column("end_time")).containsExactly(null, null);
        }
    }

    @Test
    void aSnapshotsTimeMayBeInItsNameAndANameWithoutOneIsRefused() {
        String spec = """
                name: people
                columns: {id: bigint, name: varchar, city: varchar, taken_at: timestamp}
                keys: [id]
                sequence_by: taken_at
                except_columns: [taken_at]
                mode: snapshot
                snapshot_file_time: "people_{yyyyMMddHHmmss}.csv"
                """;
        try (PipelineHarness pipeline = openPipeline(spec)) {
            pipeline.deliver("people_20240101000000.csv", "id,name,city\n1,Ann,Oslo\n2,Bob,Rome\n");
            pipeline.deliver("people_20240103000000.csv", "id,name,city\n1,Ann,Oslo\n");
            pipeline.runUntilIdle();
            // Late, by its name's time: Bob is still there at its time, and gone at the one after.
            pipeline.deliver("people_20240102000000.csv", "id,name,city\n1,Ann,Oslo\n2,Bob,Lima\n");
            pipeline.deliver("people_latest.csv", "id,name,city\n1,Ann,Oslo\n");
            pipeline.deliver("people_20240104000000.csv", "id,name,city,taken_at\n1,Ann,Oslo,2024-01-04 00:00:00\n");
            pipeline.deliver("people_20240231000000.csv", "id,name,city\n1,Ann,Oslo\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.history()).isEqualTo(Table.parse("""
                    id | name | city | start_time          | end_time            | is_current
                    1  | Ann  | Oslo | 2024-01-01T00:00:00 | null                | true
                    2  | Bob  | Rome | 2024-01-01T00:00:00 | 2024-01-02T00:00:00 | false
                    2  | Bob  | Lima | 2024-01-02T00:00:00 | 2024-01-03T00:00:00 | false
                    """));
            assertThat(pipeline.engine().ledger(LedgerQuery.all())).extracting(LedgerEntry::name, LedgerEntry::firstError)
                    .containsSubsequence(
                            tuple("people_latest.csv", "the name 'people_latest.csv' carries no snapshot time as"
                                    + " snapshot_file_time 'people_{yyyyMMddHHmmss}.csv' says"),
                            tuple("people_20240104000000.csv", "line 1: the header has column 'taken_at', which"
                                    + " snapshot_file_time fills from the file's name"),
                            tuple("people_20240231000000.csv", "the name 'people_20240231000000.csv' carries no snapshot"
                                    + " time as snapshot_file_time 'people_{yyyyMMddHHmmss}.csv' says"));
        }
    }

    @Test
    void withoutSequenceByASnapshotsTimeIsItsIngestionTime() {
        String spec = """
                name: people
                columns: {id: bigint, name: varchar, city: varchar}
                keys: [id]
                mode: snapshot
                """;
        try (PipelineHarness pipeline = openPipeline(spec)) {
            pipeline.deliver("people_1.csv", "id,name,city\n1,Ann,Oslo\n2,Bob,Rome\n");
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", "id,name,city\n1,Ann,Oslo\n");
            pipeline.runUntilIdle();

            String first = pipeline.ingestionTimeOf("people_1.csv");
            String second = pipeline.ingestionTimeOf("people_2.csv");
            assertThat(pipeline.history().project(List.of("id", "start_time", "end_time"))).isEqualTo(new Table(
                    List.of("id", "start_time", "end_time"),
                    List.of(java.util.Arrays.asList("1", first, null), List.of("2", first, second))));
            assertThat(pipeline.current().column("id")).containsExactly("1");
        }
    }
}
