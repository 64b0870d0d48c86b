package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.scd.CurrentAsOf;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact as-of reads, rule 3.5 of docs/semantics.md: in a query run as of sequence time T, the current table's name means
 * the current table of the changes up to T, for every column, late rows, deletes and filled NULLs included. Each case
 * checks every T from before the first change to after the last against {@link ReferenceModel}, and some by hand.
 */
public abstract class AsOfConformanceTest extends ConformanceSuite {

    /**
     * Only a change of city opens a version, so key 1's new name at 3 is written into the version that began at 2 and
     * the history cannot say what the name was at 2; a late change at 2, a delete at 5 and a re-insert at 6 (key 2).
     */
    static Scenario untrackedLateAndDeleted() {
        return Scenario.named("as of each time, with an untracked change in place, a late change and a delete")
                .spec(People.SPEC_TRACKING_CITY)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Anna,Bern,U,3
                        2,Bob,Rome,U,2
                        2,,,D,5
                        3,Cy,Lima,U,4
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Bern,U,2
                        2,Bob,Pisa,U,6
                        """)
                .build();
    }

    /** With ignore_null_updates: a late value at 2 fills the NULL of the change at 3, as of 3 and after, not before. */
    static Scenario filled() {
        return Scenario.named("as of each time, with NULLs filled by a late row")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,Rome,U,3
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Bea,,U,2
                        """)
                .build();
    }

    @Test
    void asOfEachTimeTheCurrentTableIsThatOfTheChangesUpToIt() {
        Scenario scenario = untrackedLateAndDeleted();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            assertAgreesWithModelAtEveryTime(pipeline, scenario, 0, 7);
            // By hand, where the history alone would answer wrongly: its version from 2 holds the name Anna.
            assertThat(pipeline.currentAsOf("2")).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Bern
                    2  | Bob  | Rome
                    """));
            assertThat(pipeline.currentAsOf("5")).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Anna | Bern
                    3  | Cy   | Lima
                    """));
            assertThat(pipeline.currentAsOf("0").rows()).isEmpty();
            // After every change, as of is the current table itself.
            assertThat(pipeline.currentAsOf("1000")).isEqualTo(pipeline.current());
        }
    }

    @Test
    void withIgnoreNullUpdatesAsOfSeesTheValuesFilledFromTheChangesUpToIt() {
        Scenario scenario = filled();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            assertAgreesWithModelAtEveryTime(pipeline, scenario, 0, 4);
            assertThat(pipeline.currentAsOf("3")).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Bea  | Rome
                    """));
        }
    }

    /**
     * The user's statement is any read in which the current table's name means the table as of T: its own parameters
     * bind after the as-of time, a trailing semicolon ends it, other tables are the tables as they are now, and an
     * as-of time the sequence column's type cannot read is a user error naming the option.
     */
    @Test
    void anAsOfQueryIsTheUsersStatementWithTheCurrentTableAsOfT() {
        Scenario scenario = untrackedLateAndDeleted();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.AT_ONCE);
            String current = PipelineHarness.quote(pipeline.spec().tables().current());
            String history = PipelineHarness.quote(pipeline.spec().tables().history());
            String sql = "SELECT count(*) AS n, min(name) AS first FROM " + current + " WHERE city = ?;  \n";
            List<Object> row = pipeline.engineQueryAsOf(sql, List.of("Bern"), "3").rows().get(0);
            assertThat(Canonical.of(row.get(0))).isEqualTo("1");
            assertThat(row.get(1)).isEqualTo("Anna");
            // The history is not as of T: a query may join the state at T with every version.
            String joined = "WITH h AS (SELECT id, count(*) AS versions FROM " + history + " GROUP BY id)\n"
                    + "SELECT c.id, h.versions FROM " + current + " c JOIN h ON c.id = h.id ORDER BY c.id";
            assertThat(pipeline.engineQueryAsOf(joined, List.of(), "2").rows().stream()
                    .map(r -> Canonical.of(r.get(0)) + ":" + Canonical.of(r.get(1))).toList())
                    .containsExactly("1:2", "2:2");
            assertThatThrownBy(() -> pipeline.engineQueryAsOf("SELECT * FROM " + current, List.of(), "yesterday"))
                    .isInstanceOf(ChangepipeException.class)
                    .hasMessage("--as-of: cannot read 'yesterday' as bigint, the type of the sequence column 'seq'");
        }
    }

    private static void assertAgreesWithModelAtEveryTime(PipelineHarness pipeline, Scenario scenario, int from, int to) {
        ReferenceModel model = new ReferenceModel(pipeline.spec());
        List<ReferenceModel.Change> changes = scenario.changes(pipeline.spec());
        for (int t = from; t <= to; t++) {
            String asOf = String.valueOf(t);
            assertThat(pipeline.currentAsOf(asOf))
                    .as("%s as of %s", scenario, asOf)
                    .isEqualTo(model.currentTableAsOf(changes, CurrentAsOf.time(pipeline.spec(), asOf)));
        }
    }
}
