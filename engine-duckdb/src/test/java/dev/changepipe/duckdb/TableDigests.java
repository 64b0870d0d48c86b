package dev.changepipe.duckdb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * One line per table of a DuckDB file: its name, columns, row count and a SHA-256 of its rows. Run as a
 * single-file program by the old-client test in a child JVM whose class path is a stock DuckDB 1.x JDBC jar
 * alone, and in the test itself against the engine's DuckDB, so the two readings can be compared line by line.
 *
 * <p>It uses nothing but {@code java.sql}, so that it runs against any DuckDB driver. Rows are rendered in
 * Java and sorted there, so that neither a DuckDB version's text of a value nor its sort order can make two
 * equal tables look different.
 */
public final class TableDigests {
    /** The first line the program prints: the DuckDB version that read the file. */
    public static final String VERSION_LINE = "-- read by DuckDB ";

    private TableDigests() {}

    /** {@code java -cp duckdb_jdbc.jar TableDigests.java <file>}: the file opened read-only, its digests on stdout. */
    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0], settings)) {
            System.out.println(VERSION_LINE + connection.getMetaData().getDatabaseProductVersion());
            for (String line : of(connection)) {
                System.out.println(line);
            }
        }
    }

    public static List<String> of(Connection connection) throws Exception {
        List<String[]> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT schema_name, table_name FROM duckdb_tables()
                        WHERE database_name = current_database() AND NOT temporary ORDER BY schema_name, table_name""")) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] table : tables) {
            lines.add(digest(connection, table[0], table[1]));
        }
        return lines;
    }

    private static String digest(Connection connection, String schema, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        StringBuilder columns = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM \"" + schema + "\".\"" + table + "\"")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.append(i > 1 ? "," : "").append(meta.getColumnName(i));
            }
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? "\u001f" : "").append(text(rs, i));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String row : rows) {
            sha.update(row.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return schema + "." + table + " columns=" + columns + " rows=" + rows.size() + " sha256="
                + HexFormat.of().formatHex(sha.digest());
    }

    /** A value as text that does not depend on the driver's own rendering: instants in UTC, decimals plain. */
    private static String text(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return "\u2400";
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof Timestamp time) {
            return time.toLocalDateTime().toString();
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return value.toString();
    }
}
