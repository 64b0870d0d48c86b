package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.error.ErrorCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec's {@code checks}: every bad value fails at start, naming its field. */
class QualityCheckSpecTest {

    static final String SPEC = """
            name: users
            landing: landing
            columns: {id: bigint, name: varchar, age: integer, joined: date, seq: bigint}
            keys: [id]
            sequence_by: seq
            """;

    @TempDir
    Path dir;

    PipelineSpec parse(String checks) {
        return SpecLoader.parse(SPEC + checks, dir, "users.yaml");
    }

    List<String> problems(String checks) {
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> parse(checks));
        assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
        return e.problems();
    }

    @Test
    void checksAreReadInSpecOrderWithTheirConditionAndMode() {
        PipelineSpec spec = parse("""
                checks:
                  - {name: age_adult, must: "age >= 18", on_fail: warn}
                  - name: name_set
                    must: "name IS NOT NULL AND NOT name IN ('', 'n/a')"
                    on_fail: drop
                  - {name: joined_recent, must: "joined > '2000-01-01'", on_fail: refuse}
                """);

        assertThat(spec.checks()).extracting(QualityCheck::name).containsExactly("age_adult", "name_set", "joined_recent");
        assertThat(spec.checks()).extracting(QualityCheck::onFail)
                .containsExactly(QualityCheck.OnFail.WARN, QualityCheck.OnFail.DROP, QualityCheck.OnFail.REFUSE);
        QualityCheck adult = spec.checks().get(0);
        assertThat(adult.must().evaluate(Map.of("age", 17)::get)).isFalse();
        assertThat(adult.must().evaluate(Map.of("age", 18)::get)).isTrue();
        assertThat(adult.rejectReason()).isEqualTo("check failed: age_adult");
    }

    @Test
    void aSpecWithoutChecksHasNone() {
        assertThat(parse("").checks()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            checks: 5                                                          | checks: must be a list of {name, must, on_fail}
            checks: [age > 0]                                                  | checks[0]: must be a mapping {name, must, on_fail}
            checks: [{name: a, must: 'age > 0'}]                               | checks[0].on_fail: is required; one of warn, drop, refuse
            checks: [{must: 'age > 0', on_fail: warn}]                         | checks[0].name: is required
            checks: [{name: a, on_fail: warn}]                                 | checks[0].must: is required
            checks: [{name: a, must: 'age > 0', on_fail: skip}]                | checks[0].on_fail: 'skip' is not one of warn, drop, refuse
            checks: [{name: a, must: 'age > 0', on_fail: warn, level: 1}]      | checks[0].level: unknown field; known fields are: name, must, on_fail
            checks: [{name: 'a b', must: 'age > 0', on_fail: warn}]            | checks[0].name: 
            checks: [{name: a, must: 'agee > 0', on_fail: warn}]               | checks[0].must: unknown column 'agee'
            checks: [{name: a, must: 'age >', on_fail: warn}]                  | checks[0].must: expected
            checks: [{name: a, must: 'age > ''x''', on_fail: warn}]            | checks[0].must: column 'age' holds Integer values, which cannot be compared with the string literal 'x'
            checks: [{name: a, must: 'joined > ''soon''', on_fail: warn}]      | checks[0].must: column 'joined' holds LocalDate values but 'soon' is not a date like 2024-01-01
            """)
    void aBadValueFailsAtStartNamingItsField(String checks, String problem) {
        List<String> problems = problems(checks + "\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(problem.strip());
        assertThat(problems.get(0)).doesNotContain("delete_when");
    }

    @Test
    void checkNamesAreUniqueIgnoringCaseAndEveryProblemIsReportedAtOnce() {
        List<String> problems = problems("""
                checks:
                  - {name: age_ok, must: "age > 0", on_fail: warn}
                  - {name: AGE_OK, must: "age < 200", on_fail: drop}
                  - {name: third, must: "nope = 1", on_fail: never}
                """);

        assertThat(problems).containsExactly(
                "checks[1].name: 'AGE_OK' names an earlier check too; check names must be unique",
                "checks[2].must: unknown column 'nope'; columns are: id, name, age, joined, seq",
                "checks[2].on_fail: 'never' is not one of warn, drop, refuse");
    }
}
