package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLiteralsTest {

    @Test
    void eachParameterBecomesATypedLiteralInOrder() {
        assertThat(SqlLiterals.bind("SELECT ?, ?, ?, ?, ?, ?, ?, ?", Arrays.asList(5L, 7, "Ann", null, true,
                new BigDecimal("2.50"), LocalDate.parse("2024-03-01"), Instant.parse("2024-03-01T10:15:00Z"))))
                .isEqualTo("SELECT CAST(5 AS BIGINT), CAST(7 AS INT), 'Ann', NULL, true, 2.50BD, DATE '2024-03-01', "
                        + "TIMESTAMP '2024-03-01T10:15:00Z'");
        assertThat(SqlLiterals.bind("SELECT ?", List.of(LocalDateTime.parse("2024-03-01T10:15:00.5"))))
                .isEqualTo("SELECT TIMESTAMP_NTZ '2024-03-01 10:15:00.5'");
    }

    @Test
    void textCannotEndItsLiteral() {
        assertThat(SqlLiterals.bind("SELECT * FROM t WHERE name = ?", List.of("x' OR '1'='1")))
                .isEqualTo("SELECT * FROM t WHERE name = 'x\\' OR \\'1\\'=\\'1'");
        assertThat(SqlLiterals.bind("SELECT ?", List.of("back\\slash"))).isEqualTo("SELECT 'back\\\\slash'");
    }

    @Test
    void questionMarksInsideQuotesAreNotParameters() {
        assertThat(SqlLiterals.bind("SELECT '?', \"a?\", `b?`, 'it\\'s?' , ?", List.of(1L)))
                .isEqualTo("SELECT '?', \"a?\", `b?`, 'it\\'s?' , CAST(1 AS BIGINT)");
    }

    @Test
    void theNumberOfParametersMustMatch() {
        assertThatThrownBy(() -> SqlLiterals.bind("SELECT ?, ?", List.of(1L))).hasMessageContaining("more ?");
        assertThatThrownBy(() -> SqlLiterals.bind("SELECT ?", List.of(1L, 2L))).hasMessageContaining("1 ? for 2 parameters");
    }
}
