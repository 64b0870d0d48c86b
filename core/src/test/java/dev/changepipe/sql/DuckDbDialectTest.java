package dev.changepipe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.TableNames;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuckDbDialectTest {
    private final DuckDbDialect dialect = new DuckDbDialect(new TableNames("users_raw", "users", "users_history"));

    @Test
    void valuesAndParametersAreBoundInOrder() {
        Sql statement = Sql.builder().text("SELECT * FROM t WHERE op = ").value(":delete;\n")
                .text(" AND _file_id <= ").parameter("to_file").text(" AND n = ").value(3L).build();

        SqlDialect.Executable executable = dialect.executable(statement, Map.of("to_file", 9L));

        assertThat(executable.text()).isEqualTo("SELECT * FROM t WHERE op = ? AND _file_id <= ? AND n = ?");
        assertThat(executable.values()).containsExactly(":delete;\n", 9L, 3L);
    }

    /** An untyped placeholder takes the type of what it meets: 1.5 compared with a BIGINT column would become 2. */
    @Test
    void aDecimalValueKeepsItsOwnType() {
        Sql statement = Sql.builder().text("SELECT seq > ").value(new BigDecimal("1.50")).build();

        assertThat(dialect.executable(statement, Map.of()).text()).isEqualTo("SELECT seq > CAST(? AS DECIMAL(3,2))");
    }

    @Test
    void tablesAreQuotedNames() {
        assertThat(dialect.table(TableRole.REJECTS)).isEqualTo("\"users_raw_rejects\"");
        assertThat(dialect.table(TableRole.HISTORY)).isEqualTo("\"users_history\"");
    }
}
