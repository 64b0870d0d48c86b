package dev.changepipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.ColumnType;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quality checks are evaluated in Java, in core's reader; delete_when, in the same grammar, is rendered to SQL. This
 * runs both over one table of typed values on DuckDB and asserts they answer alike, row for row, so that the two
 * cannot drift (docs/semantics.md §1.7): TRUE, FALSE and UNKNOWN (null) must all match.
 */
class CheckEvaluationAgreesWithDuckDbTest {

    /** Column name and type; every type a spec may declare. */
    static final Map<String, ColumnType> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("b", ColumnType.BIGINT);
        COLUMNS.put("i", ColumnType.INTEGER);
        COLUMNS.put("d", ColumnType.DOUBLE);
        COLUMNS.put("n", ColumnType.DECIMAL);
        COLUMNS.put("s", ColumnType.VARCHAR);
        COLUMNS.put("f", ColumnType.BOOLEAN);
        COLUMNS.put("dt", ColumnType.DATE);
        COLUMNS.put("ts", ColumnType.TIMESTAMP);
        COLUMNS.put("tz", ColumnType.TIMESTAMPTZ);
    }

    /** Rows as CSV text would hold them (null is NULL), in column order; typed by the spec's own parser. */
    static final List<List<String>> ROWS = List.of(
            Arrays.asList("0", "0", "0.1", "0.100000000", "", "false", "2024-01-01", "2024-01-01 00:00:00", "2024-01-01 00:00:00+00:00"),
            Arrays.asList("1", "-5", "1.5", "1.500000000", "a", "true", "2024-02-29", "2024-02-29 10:30:00.123456", "2024-01-01 01:00:00+02:00"),
            Arrays.asList("2", "17", "-0.0", "-2.250000000", "Z", "false", "1999-12-31", "1999-12-31 23:59:59", "2023-12-31 23:00:00Z"),
            Arrays.asList("-9223372036854775808", "2147483647", "1e300", "99999999999999999999.999999999", "é", "true",
                    "2024-01-02", "2024-01-01 00:00:00.000001", "2024-06-01 12:00:00-05:00"),
            Arrays.asList("9223372036854775807", "18", "NaN", "0.000000001", "\uD83D\uDE00", "false", "2000-01-01",
                    "2024-01-01 23:59:59.999999", "2024-01-01 00:00:00.000001+00:00"),
            Arrays.asList("3", null, null, null, null, null, null, null, null),
            Arrays.asList("4", "18", "Infinity", "0E-9", "it's", null, "2024-01-01", null, "2024-01-01 00:00:00+00:00"));

    static Connection duckdb;

    @BeforeAll
    static void load() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        DuckDbDialect dialect = new DuckDbDialect(new TableNames("r", "c", "h"));
        try (Statement s = duckdb.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            List<String> defs = new ArrayList<>();
            COLUMNS.forEach((name, type) -> defs.add(dialect.quote(name) + " " + dialect.typeName(type)));
            s.execute("CREATE TABLE t (row_no INTEGER, " + String.join(", ", defs) + ")");
        }
        String marks = String.join(", ", COLUMNS.keySet().stream().map(c -> "?").toList());
        try (PreparedStatement insert = duckdb.prepareStatement("INSERT INTO t VALUES (?, " + marks + ")")) {
            for (int r = 0; r < ROWS.size(); r++) {
                List<Object> values = new ArrayList<>();
                values.add(r);
                values.addAll(typed(ROWS.get(r)).values());
                Jdbc.bind(insert, values);
                insert.execute();
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        duckdb.close();
    }

    /** A row as core's reader types it: column name to value, null for NULL. */
    static Map<String, Object> typed(List<String> texts) {
        Map<String, Object> row = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ColumnType> column : COLUMNS.entrySet()) {
            String text = texts.get(i++);
            row.put(column.getKey(), text == null ? null : column.getValue().parse(text));
        }
        return row;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "b > 0", "b >= 1", "b = 9223372036854775807", "b < -1", "b <> 2", "b > 1.5", "b = 1.0", "b < 0.5",
            "b IN (0, 2, 3)", "b NOT IN (0, 2)",
            "i >= 18", "i < 0", "i = 17", "i > 17.5", "i <= 2147483647", "i IN (17, 18)", "i NOT IN (-5)",
            "d = 0.1", "d > 1", "d < 0", "d = 0", "d >= 1.5", "d > 1000000", "d <> 1.5",
            "n > 0", "n = 1.5", "n < -2.25", "n >= 0.000000001", "n = 0", "n IN (1.5, 0.1)", "n > 99999999999999999999",
            "s = ''", "s <> 'a'", "s > 'a'", "s < 'z'", "s >= 'é'", "s > 'Z'", "s IN ('a', 'Z')", "s = 'it''s'",
            "s NOT IN ('a')", "s < '\uD83D\uDE00'",
            "f = TRUE", "f <> FALSE", "f IN (TRUE)", "NOT f = TRUE",
            "dt >= '2024-01-01'", "dt < '2000-01-01'", "dt = '2024-02-29'", "dt IN ('2024-01-01', '1999-12-31')",
            "ts >= '2024-01-01'", "ts > '2024-01-01 00:00:00'", "ts < '2024-01-01 00:00:00.000001'",
            "ts = '2024-02-29 10:30:00.123456'", "ts <= '1999-12-31T23:59:59'",
            "tz = '2024-01-01 00:00:00+00:00'", "tz < '2024-01-01'", "tz > '2024-01-01 00:00:00Z'",
            "tz >= '2024-06-01 17:00:00'", "tz = '2023-12-31 23:00:00-00:00'",
            "b IS NULL", "i IS NOT NULL", "s IS NULL OR s <> ''",
            "i >= 18 AND s IS NOT NULL", "i >= 18 OR d > 1", "NOT (i >= 18 AND f = TRUE)", "NOT i > 0",
            "i >= 18 AND f = TRUE", "i < 18 OR f = TRUE", "(i > 0 OR s = 'a') AND NOT (n < 0 OR dt < '2000-01-01')",
            "i > 0 AND d > 0 AND n > 0 AND s > ''", "i > 0 OR d > 0 OR f = TRUE",
    })
    void theJavaEvaluationEqualsTheSqlRenderingRowForRow(String condition) throws SQLException {
        Predicate predicate = Predicate.parse(condition, COLUMNS.keySet());
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
        List<String> differences = new ArrayList<>();
        for (int r = 0; r < ROWS.size(); r++) {
            Map<String, Object> row = typed(ROWS.get(r));
            Boolean inJava = predicate.evaluate(row::get);
            if (!Objects.equals(inJava, bySql.get(r))) {
                differences.add("row " + r + " " + ROWS.get(r) + ": Java " + inJava + ", DuckDB " + bySql.get(r));
            }
        }
        assertThat(bySql).hasSize(ROWS.size());
        assertThat(differences).isEmpty();
    }
}
