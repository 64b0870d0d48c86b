package dev.changepipe.duckdb;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * The connection the engine's own work runs on: loads, tasks, offsets. It keeps its prepared statements
 * ({@link PreparedStatements}); a statement whose execution threw is never reused.
 */
final class TaskConnection implements AutoCloseable {
    private final DuckDBConnection connection;
    private final PreparedStatements prepared;
    private final SqlDialect dialect;

    TaskConnection(DuckDBConnection connection, SqlDialect dialect) {
        this.connection = connection;
        this.prepared = new PreparedStatements(connection);
        this.dialect = dialect;
    }

    DuckDBConnection jdbc() {
        return connection;
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /** An error inside a DuckDB transaction aborts it and a later commit saves nothing, so every failure rolls back. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A statement of the engine's templates with its named parameters bound. */
    int execute(Sql statement, Map<String, ?> parameters) throws SQLException {
        SqlDialect.Executable executable = dialect.executable(statement, parameters);
        return execute(executable.text(), executable.values());
    }

    int execute(String sql, List<?> parameters) throws SQLException {
        try {
            PreparedStatement statement = prepared.bound(sql, parameters);
            statement.execute();
            return Math.max(statement.getUpdateCount(), 0);
        } catch (SQLException e) {
            prepared.discard(sql);
            throw e;
        }
    }

    QueryResult select(String sql, List<?> parameters) throws SQLException {
        try {
            return Jdbc.result(prepared.bound(sql, parameters));
        } catch (SQLException e) {
            prepared.discard(sql);
            throw e;
        }
    }

    long queryLong(String sql, Object... parameters) throws SQLException {
        return Jdbc.number(select(sql, Arrays.asList(parameters)).rows().get(0).get(0));
    }

    @Override
    public void close() throws SQLException {
        prepared.close();
        connection.close();
    }
}
