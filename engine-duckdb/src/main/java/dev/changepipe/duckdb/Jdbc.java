package dev.changepipe.duckdb;

import dev.changepipe.engine.QueryResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** How the engine binds values and reads results over JDBC: timestamps in UTC to the microsecond DuckDB keeps. */
final class Jdbc {
    private Jdbc() {}

    static void bind(PreparedStatement statement, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    /** The rows a statement returns, or its update count as a one-row result. */
    static QueryResult result(PreparedStatement statement) throws SQLException {
        if (!statement.execute()) {
            return new QueryResult(List.of("count"), List.of(List.of((long) Math.max(statement.getUpdateCount(), 0))));
        }
        try (ResultSet rs = statement.getResultSet()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        }
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** A TIMESTAMPTZ value as read, or null. */
    static Instant instant(Object value) {
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static Long numberOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
