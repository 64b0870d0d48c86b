package dev.changepipe.cli.bench;

import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlTemplate;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

/**
 * A direct DuckDB connection for the benchmark's own SQL: the baselines changepipe is compared with, and
 * the seeding of large tables. Reports the progress of the statement it is running.
 */
final class DuckDbSession implements AutoCloseable {
    private final Connection connection;
    private volatile DuckDBPreparedStatement running;

    private DuckDbSession(Connection connection) {
        this.connection = connection;
    }

    static DuckDbSession open(Path databaseFile) throws SQLException {
        return connect("jdbc:duckdb:" + databaseFile);
    }

    static DuckDbSession inMemory() throws SQLException {
        return connect("jdbc:duckdb:");
    }

    private static DuckDbSession connect(String url) throws SQLException {
        DuckDbSession session = new DuckDbSession(DriverManager.getConnection(url));
        session.execute("SET TimeZone = 'UTC'");
        // Progress is computed only when enabled; printing is ours.
        session.execute("SET enable_progress_bar = true");
        session.execute("SET enable_progress_bar_print = false");
        return session;
    }

    /** Runs every statement of a script, in order, with the named values bound. */
    void run(SqlTemplate script, Map<String, String> fragments, Map<String, ?> values) throws SQLException {
        for (Sql statement : script.render(Sql.texts(fragments))) {
            execute(statement.placeholderText(), statement.values(values).toArray());
        }
    }

    void execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            running = statement.unwrap(DuckDBPreparedStatement.class);
            try {
                statement.execute();
            } finally {
                running = null;
            }
        }
    }

    long queryLong(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    String queryString(String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The running statement's progress in [0, 1], or -1 when nothing runs or DuckDB cannot tell. */
    double progress() {
        DuckDBPreparedStatement statement = running;
        if (statement == null) {
            return -1;
        }
        try {
            QueryProgress progress = statement.getQueryProgress();
            return progress.getPercentage() < 0 ? -1 : progress.getPercentage() / 100;
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
