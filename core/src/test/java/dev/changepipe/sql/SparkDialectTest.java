package dev.changepipe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkDialectTest {
    private final SparkDialect dialect = new SparkDialect(role -> "/lake/" + role.name().toLowerCase());

    @Test
    void eachParameterBecomesATypedLiteralInOrder() {
        assertThat(SparkDialect.inline("SELECT ?, ?, ?, ?, ?, ?, ?, ?", Arrays.asList(5L, 7, "Ann", null, true,
                new BigDecimal("2.50"), LocalDate.parse("2024-03-01"), Instant.parse("2024-03-01T10:15:00Z"))))
                .isEqualTo("SELECT CAST(5 AS BIGINT), CAST(7 AS INT), 'Ann', NULL, true, 2.50BD, DATE '2024-03-01', "
                        + "TIMESTAMP '2024-03-01T10:15:00Z'");
        assertThat(SparkDialect.inline("SELECT ?", List.of(LocalDateTime.parse("2024-03-01T10:15:00.5"))))
                .isEqualTo("SELECT TIMESTAMP_NTZ '2024-03-01 10:15:00.5'");
    }

    @Test
    void textCannotEndItsLiteral() {
        assertThat(SparkDialect.inline("SELECT * FROM t WHERE name = ?", List.of("x' OR '1'='1")))
                .isEqualTo("SELECT * FROM t WHERE name = 'x\\' OR \\'1\\'=\\'1'");
        assertThat(SparkDialect.inline("SELECT ?", List.of("back\\slash"))).isEqualTo("SELECT 'back\\\\slash'");
    }

    @Test
    void questionMarksInsideQuotesAreNotParameters() {
        assertThat(SparkDialect.inline("SELECT '?', \"a?\", `b?`, 'it\\'s?' , ?", List.of(1L)))
                .isEqualTo("SELECT '?', \"a?\", `b?`, 'it\\'s?' , CAST(1 AS BIGINT)");
    }

    @Test
    void theNumberOfParametersMustMatch() {
        assertThatThrownBy(() -> SparkDialect.inline("SELECT ?, ?", List.of(1L))).hasMessageContaining("more ?");
        assertThatThrownBy(() -> SparkDialect.inline("SELECT ?", List.of(1L, 2L))).hasMessageContaining("1 ? for 2 parameters");
    }

    /** A value that looks like a parameter, a statement end, a placeholder or a hole is written as one literal. */
    @Test
    void aStatementsValuesAreWrittenByTheOneEscapingRule() {
        Sql statement = Sql.builder().text("SELECT * FROM t WHERE op IN (")
                .sql(Sql.join(List.of(Sql.value(":delete"), Sql.value("a;\nb"), Sql.value("x':y"), Sql.value("?"),
                        Sql.value("$1"), Sql.value("{{raw}}")), ", "))
                .text(") AND _file_id <= ").parameter("to_file").build();

        SqlDialect.Executable executable = dialect.executable(statement, Map.of("to_file", 9L));

        assertThat(executable.text()).isEqualTo(
                "SELECT * FROM t WHERE op IN (':delete', 'a;\nb', 'x\\':y', '?', '$1', '{{raw}}') AND _file_id <= CAST(9 AS BIGINT)");
        assertThat(executable.values()).isEmpty();
    }

    @Test
    void tablesAreDeltaPathsWithBackticksDoubled() {
        assertThat(dialect.table(TableRole.RAW)).isEqualTo("delta.`/lake/raw`");
        assertThat(SparkDialect.deltaTable("/a`b")).isEqualTo("delta.`/a``b`");
    }
}
