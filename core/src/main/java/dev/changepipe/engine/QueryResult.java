package dev.changepipe.engine;

import java.util.List;

/** Rows of a query, values as JDBC/Spark return them (Long, String, Boolean, java.time types, BigDecimal, null). */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
