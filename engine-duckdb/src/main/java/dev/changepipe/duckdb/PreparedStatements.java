package dev.changepipe.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The task connection's prepared statements, kept by their text. A pipeline's cycle runs the same
 * few dozen statements every time, and preparing one costs DuckDB about as much as running a small
 * one (about 0.9 ms of a bookkeeping query's 1.5 ms on a 2-core machine). The texts are the engine's
 * own, with every value bound, so the set is bounded. DuckDB rebinds a kept statement by itself when
 * a table it reads was replaced (the plans' temporary tables).
 */
final class PreparedStatements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();

    PreparedStatements(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql} with {@code parameters} bound, ready to execute. */
    PreparedStatement bound(String sql, List<?> parameters) throws SQLException {
        PreparedStatement statement = bySql.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            bySql.put(sql, statement);
        }
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    /**
     * Drops the statement of {@code sql}: DuckDB's JDBC driver closes a statement whose execution
     * threw, and a statement is never reused after a failure.
     */
    void discard(String sql) {
        PreparedStatement statement = bySql.remove(sql);
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                // Already unusable; nothing else to release.
            }
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : bySql.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        bySql.clear();
        if (first != null) {
            throw first;
        }
    }
}
