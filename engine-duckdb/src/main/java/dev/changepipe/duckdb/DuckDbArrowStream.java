package dev.changepipe.duckdb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A query's result as DuckDB exports it (Arrow's C stream interface), handed on batch by batch. The statement runs on
 * a connection of its own in a transaction that closing rolls back, so the reader owns all three and ends them.
 */
final class DuckDbArrowStream extends ArrowReader {
    private final ArrowReader exported;
    private final ResultSet resultSet;
    private final PreparedStatement statement;
    private final Connection connection;

    DuckDbArrowStream(BufferAllocator allocator, ArrowReader exported, ResultSet resultSet, PreparedStatement statement,
            Connection connection) {
        super(allocator);
        this.exported = exported;
        this.resultSet = resultSet;
        this.statement = statement;
        this.connection = connection;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        if (!exported.loadNextBatch()) {
            return false;
        }
        // The unloaded batch holds references to the exported buffers; loading takes its own, so both can be freed.
        try (ArrowRecordBatch batch = new VectorUnloader(exported.getVectorSchemaRoot()).getRecordBatch()) {
            new VectorLoader(getVectorSchemaRoot()).load(batch);
        }
        return true;
    }

    @Override
    public long bytesRead() {
        return exported.bytesRead();
    }

    @Override
    protected Schema readSchema() throws IOException {
        return exported.getVectorSchemaRoot().getSchema();
    }

    @Override
    protected void closeReadSource() throws IOException {
        try (connection) {
            try (statement; resultSet; exported) {
                // Closed before the rollback: the transaction ends once nothing reads in it.
            }
            connection.rollback();
        } catch (SQLException e) {
            throw new IOException("closing a query's result failed: " + e.getMessage(), e);
        }
    }
}
