package dev.changepipe.duckdb;

import java.sql.SQLException;
import java.util.List;

/** The offsets table as the engine's own work reads and moves it, inside whatever transaction is open. */
final class StoredOffsets {
    private final TaskConnection connection;
    private final String pipeline;

    StoredOffsets(TaskConnection connection, String pipeline) {
        this.connection = connection;
        this.pipeline = pipeline;
    }

    long committed(String consumer) throws SQLException {
        return connection.queryLong(
                "SELECT coalesce(max(committed), 0) FROM changepipe.offsets WHERE pipeline = ? AND consumer = ?",
                pipeline, consumer);
    }

    void commit(String consumer, long value) throws SQLException {
        int updated = connection.execute("""
                UPDATE changepipe.offsets SET committed = ?, committed_at = ?
                WHERE pipeline = ? AND consumer = ?""", List.of(value, Jdbc.now(), pipeline, consumer));
        if (updated == 0) {
            connection.execute("INSERT INTO changepipe.offsets VALUES (?, ?, ?, ?)",
                    List.of(pipeline, consumer, value, Jdbc.now()));
        }
    }
}
