package dev.changepipe.scd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import dev.changepipe.spec.TableNames;
import dev.changepipe.sql.DuckDbDialect;
import dev.changepipe.sql.SparkDialect;
import dev.changepipe.sql.SqlDialect;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 2.3 costs nothing when off: the plans only run the fill window when {@code ignore_null_updates}
 * lists a column, and then only over the listed columns, in each engine's spelling. What the fill
 * computes is the conformance suites' business; this checks which SQL is run.
 */
class NullFillPlanTest {
    private static final String SPEC = """
            name: people
            landing: landing
            columns: {id: bigint, name: varchar, city: varchar, op: varchar, seq: bigint}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op]
            """;

    @TempDir
    Path dir;

    private PipelineSpec spec(String extra) {
        return SpecLoader.parse(SPEC + extra, dir, "people.yaml");
    }

    private static SqlDialect duckDb() {
        return new DuckDbDialect(new TableNames("people_raw", "people", "people_history"));
    }

    private static SqlDialect spark() {
        return new SparkDialect(role -> "/lake/" + role.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static String text(ScdPlan plan) {
        return plan.asQuery().placeholderText();
    }

    @Test
    void offThePlansRunNoFillAndDuckDbKeepsItsRowIdShortcut() {
        PipelineSpec spec = spec("");

        String current = text(Scd1Plan.of(spec, duckDb()));
        assertThat(current).contains("arg_max(r.rowid").doesNotContain("last_value").doesNotContain("_deletes");
        assertThat(text(Scd2Plan.of(spec, duckDb()))).doesNotContain("last_value").doesNotContain("_deletes");
        assertThat(text(Scd1Plan.of(spec, spark()))).doesNotContain("last_value");
        assertThat(text(Scd2Plan.of(spec, spark()))).doesNotContain("last_value");
    }

    @Test
    void onBothPlansFillTheListedColumnsOnlyInEachEnginesSpelling() {
        PipelineSpec spec = spec("ignore_null_updates: [city]\n");

        for (String duck : new String[] {text(Scd1Plan.of(spec, duckDb())), text(Scd2Plan.of(spec, duckDb()))}) {
            assertThat(duck).contains("last_value(\"city\" IGNORE NULLS) OVER fill")
                    .doesNotContain("last_value(\"name\"")
                    .doesNotContain("last_value(\"seq\"");
        }
        for (String sparkText : new String[] {text(Scd1Plan.of(spec, spark())), text(Scd2Plan.of(spec, spark()))}) {
            assertThat(sparkText).contains("last_value(\"city\", true) OVER fill").doesNotContain("IGNORE NULLS");
        }
        // The fill needs each key's changes in order, so the winner is not picked by row id first.
        assertThat(text(Scd1Plan.of(spec, duckDb()))).doesNotContain("rowid");
    }

    @Test
    void trueFillsEveryValueColumnButTheSequenceColumn() {
        String plan = text(Scd2Plan.of(spec("ignore_null_updates: true\n"), duckDb()));

        assertThat(plan).contains("last_value(\"name\" IGNORE NULLS)", "last_value(\"city\" IGNORE NULLS)")
                .doesNotContain("last_value(\"seq\"").doesNotContain("last_value(\"id\"");
    }
}
