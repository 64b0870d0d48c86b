package dev.changepipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.conformance.CheckAgreementCases;
import dev.changepipe.spec.TableNames;
import dev.changepipe.spec.predicate.Predicate;
import dev.changepipe.sql.DuckDbDialect;
import dev.changepipe.sql.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CheckAgreementCases} on DuckDB: the Java evaluation of each condition and its DuckDB SQL answer alike. */
class CheckEvaluationAgreesWithDuckDbTest {

    static Connection duckdb;

    @BeforeAll
    static void load() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        DuckDbDialect dialect = new DuckDbDialect(new TableNames("r", "c", "h"));
        try (Statement s = duckdb.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            List<String> defs = new ArrayList<>();
            CheckAgreementCases.COLUMNS.forEach((name, type) -> defs.add(dialect.quote(name) + " " + dialect.typeName(type)));
            s.execute("CREATE TABLE t (row_no INTEGER, " + String.join(", ", defs) + ")");
        }
        String marks = String.join(", ", CheckAgreementCases.COLUMNS.keySet().stream().map(c -> "?").toList());
        try (PreparedStatement insert = duckdb.prepareStatement("INSERT INTO t VALUES (?, " + marks + ")")) {
            for (int r = 0; r < CheckAgreementCases.ROWS.size(); r++) {
                List<Object> values = new ArrayList<>();
                values.add(r);
                values.addAll(CheckAgreementCases.typed(CheckAgreementCases.ROWS.get(r)).values());
                Jdbc.bind(insert, values);
                insert.execute();
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        duckdb.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.changepipe.conformance.CheckAgreementCases#conditions")
    void theJavaEvaluationEqualsTheSqlRenderingRowForRow(String condition) throws SQLException {
        Predicate predicate = CheckAgreementCases.parse(condition);
        SqlDialect dialect = new DuckDbDialect(new TableNames("r", "c", "h"));
        SqlDialect.Executable sql = dialect.executable(predicate.toSql(dialect::quote), Map.of());
        Map<Integer, Boolean> bySql = new HashMap<>();
        try (PreparedStatement select = duckdb.prepareStatement("SELECT row_no, " + sql.text() + " FROM t ORDER BY row_no")) {
            Jdbc.bind(select, sql.values());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    bySql.put(rs.getInt(1), (Boolean) rs.getObject(2));
                }
            }
        }
        List<String> differences = CheckAgreementCases.differences(predicate, bySql, "DuckDB");
        assertThat(bySql).hasSize(CheckAgreementCases.ROWS.size());
        assertThat(differences).isEmpty();
    }
}
