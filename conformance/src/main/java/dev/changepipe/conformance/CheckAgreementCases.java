package dev.changepipe.conformance;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.predicate.Predicate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Quality checks are evaluated in Java, in core's reader; {@code delete_when}, in the same grammar, is rendered to
 * SQL. Each engine's agreement test runs every condition here both ways over one table of these typed values and
 * asserts they answer alike, row for row, so that the two cannot drift (docs/semantics.md §1.7): TRUE, FALSE and
 * UNKNOWN (null) must all match.
 */
public final class CheckAgreementCases {
    private CheckAgreementCases() {}

    /** Column name and type; every type a spec may declare. */
    public static final Map<String, ColumnType> COLUMNS = columns();

    /** Rows as CSV text would hold them (null is NULL), in column order; typed by the spec's own parser. */
    public static final List<List<String>> ROWS = List.of(
            Arrays.asList("0", "0", "0.1", "0.100000000", "", "false", "2024-01-01", "2024-01-01 00:00:00", "2024-01-01 00:00:00+00:00"),
            Arrays.asList("1", "-5", "1.5", "1.500000000", "a", "true", "2024-02-29", "2024-02-29 10:30:00.123456", "2024-01-01 01:00:00+02:00"),
            Arrays.asList("2", "17", "-0.0", "-2.250000000", "Z", "false", "1999-12-31", "1999-12-31 23:59:59", "2023-12-31 23:00:00Z"),
            Arrays.asList("-9223372036854775808", "2147483647", "1e300", "99999999999999999999.999999999", "é", "true",
                    "2024-01-02", "2024-01-01 00:00:00.000001", "2024-06-01 12:00:00-05:00"),
            Arrays.asList("9223372036854775807", "18", "NaN", "0.000000001", "\uD83D\uDE00", "false", "2000-01-01",
                    "2024-01-01 23:59:59.999999", "2024-01-01 00:00:00.000001+00:00"),
            Arrays.asList("3", null, null, null, null, null, null, null, null),
            Arrays.asList("4", "18", "Infinity", "0E-9", "it's", null, "2024-01-01", null, "2024-01-01 00:00:00+00:00"));

    private static Map<String, ColumnType> columns() {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("b", ColumnType.BIGINT);
        columns.put("i", ColumnType.INTEGER);
        columns.put("d", ColumnType.DOUBLE);
        columns.put("n", ColumnType.DECIMAL);
        columns.put("s", ColumnType.VARCHAR);
        columns.put("f", ColumnType.BOOLEAN);
        columns.put("dt", ColumnType.DATE);
        columns.put("ts", ColumnType.TIMESTAMP);
        columns.put("tz", ColumnType.TIMESTAMPTZ);
        return columns;
    }

    /** The conditions: each comparison of each type, IN lists, NULL tests, and AND, OR and NOT over them. */
    public static Stream<String> conditions() {
        return Stream.of(
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
                "i > 0 AND d > 0 AND n > 0 AND s > ''", "i > 0 OR d > 0 OR f = TRUE");
    }

    /** A row as core's reader types it: column name to value, null for NULL. */
    public static Map<String, Object> typed(List<String> texts) {
        Map<String, Object> row = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ColumnType> column : COLUMNS.entrySet()) {
            String text = texts.get(i++);
            row.put(column.getKey(), text == null ? null : column.getValue().parse(text));
        }
        return row;
    }

    public static Predicate parse(String condition) {
        return Predicate.parse(condition, COLUMNS.keySet());
    }

    /** The rows on which {@code engine}'s answers ({@code bySql}: row number to answer) differ from Java's. */
    public static List<String> differences(Predicate predicate, Map<Integer, Boolean> bySql, String engine) {
        List<String> differences = new ArrayList<>();
        for (int r = 0; r < ROWS.size(); r++) {
            Map<String, Object> row = typed(ROWS.get(r));
            Boolean inJava = predicate.evaluate(row::get);
            if (!Objects.equals(inJava, bySql.get(r))) {
                differences.add("row " + r + " " + ROWS.get(r) + ": Java " + inJava + ", " + engine + " " + bySql.get(r));
            }
        }
        return differences;
    }
}
