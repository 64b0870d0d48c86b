package dev.changepipe.duckdb;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StoredReject;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * The reads other threads may make while a task runs: users' queries and the bookkeeping, on a connection of
 * their own, one at a time. They see what was committed.
 */
final class WarehouseReads implements AutoCloseable {
    private static final String LEDGER = """
            SELECT file_id, name, path, size, content_hash, last_modified, status, rows_loaded, rows_rejected,
                   first_error, ingested_at, version, original_file_id, etag, check_failures, header_drift
            FROM changepipe.files
            WHERE pipeline = ? AND file_id > ? AND file_id < ? AND status IN (%s)""";

    /** Rows per Arrow batch of a streamed result: DuckDB's vector size times 8, a few hundred kB a batch. */
    private static final long ARROW_BATCH_ROWS = 16_384;

    private final DuckDBConnection connection;
    private final String pipeline;
    /** Quoted table names by role: raw, rejects, current, changes, history. */
    private final Map<String, String> tables;
    private boolean namesTable;

    WarehouseReads(DuckDBConnection connection, String pipeline, Map<String, String> tables) throws SQLException {
        this.connection = connection;
        this.pipeline = pipeline;
        this.tables = Map.copyOf(tables);
        execute("SET TimeZone = 'UTC'");
    }

    /** Runs a user's statement in a transaction that is always rolled back: a query never changes the warehouse. */
    synchronized QueryResult query(String sql, List<Object> parameters) {
        try {
            ReadOnlyStatement.vet(connection, sql);
            connection.setAutoCommit(false);
            try {
                return select(sql, parameters);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        }
    }

    /**
     * Runs a user's statement on a connection of its own (so that no read waits for another) in a transaction that
     * closing the returned reader rolls back, and streams its result in DuckDB's own Arrow export.
     */
    ArrowReader arrow(String sql, BufferAllocator allocator) {
        DuckDBConnection own = null;
        PreparedStatement statement = null;
        ResultSet resultSet = null;
        try {
            synchronized (this) {
                own = (DuckDBConnection) connection.duplicate();
            }
            // Its time zone is the database's, UTC (DuckDbEngine): the configuration is locked by now.
            ReadOnlyStatement.vet(own, sql);
            own.setAutoCommit(false);
            statement = own.prepareStatement(sql);
            resultSet = statement.executeQuery();
            ArrowReader exported = (ArrowReader) resultSet.unwrap(DuckDBResultSet.class)
                    .arrowExportStream(allocator, ARROW_BATCH_ROWS);
            return new DuckDbArrowStream(allocator, exported, resultSet, statement, own);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(resultSet, statement, own);
            if (e instanceof SQLException) {
                throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
            }
            throw (RuntimeException) e;
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // The statement's own failure is the one to report.
                }
            }
        }
    }

    synchronized List<LedgerEntry> ledger(LedgerQuery query) {
        try {
            List<Object> values = new ArrayList<>(List.of(pipeline, query.afterFileId(), query.beforeFileId()));
            query.statuses().forEach(s -> values.add(s.word()));
            StringBuilder sql = new StringBuilder(LEDGER.formatted(String.join(", ",
                    Collections.nCopies(query.statuses().size(), "?"))));
            if (query.locationPrefix() != null) {
                // substr rather than LIKE: a prefix may hold '_' and '%'.
                sql.append(" AND substr(path, 1, ?) = ?");
                values.add(query.locationPrefix().length());
                values.add(query.locationPrefix());
            }
            if (!query.names().isEmpty()) {
                fillNames(query.names());
                sql.append(" AND name IN (SELECT name FROM cp_ledger_names)");
            }
            sql.append(query.newestFirst() ? " ORDER BY file_id DESC" : " ORDER BY file_id");
            if (query.limit() < Integer.MAX_VALUE) {
                sql.append(" LIMIT ?");
                values.add(query.limit());
            }
            List<LedgerEntry> entries = new ArrayList<>();
            for (List<Object> r : select(sql.toString(), values).rows()) {
                entries.add(new LedgerEntry(Jdbc.number(r.get(0)), (String) r.get(1), (String) r.get(2),
                        Jdbc.number(r.get(3)), (String) r.get(4), Jdbc.instant(r.get(5)), FileStatus.of((String) r.get(6)),
                        Jdbc.number(r.get(7)), Jdbc.number(r.get(8)), (String) r.get(9), Jdbc.instant(r.get(10)),
                        (int) Jdbc.number(r.get(11)), Jdbc.numberOrNull(r.get(12)), (String) r.get(13),
                        CheckCounts.fromJson((String) r.get(14)), HeaderDrift.fromJson((String) r.get(15))));
            }
            return entries;
        } catch (SQLException e) {
            throw failed("reading the file ledger", e);
        }
    }

    /** The names of a ledger look-up as a temporary table of this connection: one statement for any number of names. */
    private void fillNames(List<String> names) throws SQLException {
        if (!namesTable) {
            execute("CREATE OR REPLACE TEMP TABLE cp_ledger_names (name VARCHAR NOT NULL)");
            namesTable = true;
        }
        execute("DELETE FROM cp_ledger_names");
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "cp_ledger_names")) {
            for (String name : names) {
                appender.beginRow().append(name).endRow();
            }
        }
    }

    synchronized List<Offset> offsets() {
        try {
            List<Offset> offsets = new ArrayList<>();
            for (List<Object> r : select("""
                    SELECT consumer, committed, committed_at FROM changepipe.offsets
                    WHERE pipeline = ? ORDER BY consumer""", List.of(pipeline)).rows()) {
                offsets.add(new Offset((String) r.get(0), Jdbc.number(r.get(1)), Jdbc.instant(r.get(2))));
            }
            return offsets;
        } catch (SQLException e) {
            throw failed("reading the offsets", e);
        }
    }

    synchronized List<TaskRun> taskHistory(int limit) {
        try {
            List<TaskRun> runs = new ArrayList<>();
            for (List<Object> r : select("""
                    SELECT task, started, ended, rows_in, rows_out, attempt, status, error, check_failures
                    FROM changepipe.task_history WHERE pipeline = ?
                    ORDER BY started DESC, ended DESC LIMIT ?""", List.of(pipeline, limit)).rows()) {
                runs.add(new TaskRun(PipelineTask.of((String) r.get(0)), Jdbc.instant(r.get(1)), Jdbc.instant(r.get(2)),
                        Jdbc.number(r.get(3)), Jdbc.number(r.get(4)), (int) Jdbc.number(r.get(5)), (String) r.get(6),
                        (String) r.get(7), CheckCounts.fromJson((String) r.get(8))));
            }
            return runs;
        } catch (SQLException e) {
            throw failed("reading the task history", e);
        }
    }

    synchronized TableCounts rowCounts() {
        try {
            List<Object> r = select("""
                    SELECT (SELECT count(*) FROM %s), (SELECT count(*) FROM %s), (SELECT count(*) FROM %s),
                           (SELECT count(*) FROM %s), (SELECT count(*) FROM %s)""".formatted(tables.get("raw"),
                    tables.get("rejects"), tables.get("current"), tables.get("changes"), tables.get("history")),
                    List.of()).rows().get(0);
            return new TableCounts(Jdbc.number(r.get(0)), Jdbc.number(r.get(1)), Jdbc.number(r.get(2)),
                    Jdbc.number(r.get(3)), Jdbc.number(r.get(4)));
        } catch (SQLException e) {
            throw failed("counting the tables' rows", e);
        }
    }

    synchronized List<StoredReject> rejects(int limit) {
        try {
            List<StoredReject> rejects = new ArrayList<>();
            for (List<Object> r : select("""
                    SELECT _file_id, _file, _line, column_name, reason, raw_text FROM %s
                    ORDER BY _file_id DESC, _line DESC LIMIT ?""".formatted(tables.get("rejects")), List.of(limit))
                    .rows()) {
                rejects.add(new StoredReject(Jdbc.number(r.get(0)), (String) r.get(1), Jdbc.numberOrNull(r.get(2)),
                        (String) r.get(3), (String) r.get(4), (String) r.get(5)));
            }
            return rejects;
        } catch (SQLException e) {
            throw failed("reading the rejects", e);
        }
    }

    private QueryResult select(String sql, List<?> parameters) throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            Jdbc.bind(statement, parameters);
            return Jdbc.result(statement);
        }
    }

    private void execute(String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static ChangepipeException failed(String what, SQLException e) {
        return ChangepipeException.external(what + " failed: " + ChangepipeException.firstLine(e.getMessage()), e);
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
