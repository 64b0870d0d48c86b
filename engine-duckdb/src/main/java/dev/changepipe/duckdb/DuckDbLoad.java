package dev.changepipe.duckdb;

import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.HeaderAddsColumnsException;
import dev.changepipe.csv.ReadSummary;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerBatch;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.sql.Sql;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBAppender;

/**
 * One load on the embedded engine: the files' rows are staged as Arrow batches off the heap and their rejects in
 * the connection's temporary table, outside any transaction; the commit writes the ledger entries, then raw and
 * rejects from the staged rows, in one transaction.
 */
final class DuckDbLoad implements FileLoad {
    /** The name a load's staged rows go by in its statements (load.sql). */
    private static final String STAGE = "cp_stage";
    private static final String INSERT_LEDGER = """
            INSERT INTO changepipe.files
                (pipeline, file_id, name, path, size, content_hash, last_modified, status, rows_loaded,
                 rows_rejected, first_error, ingested_at, version, original_file_id, etag, check_failures, header_drift)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** What every load of an engine shares: the task connection, Arrow memory, the reader and the load's statements. */
    record Setup(TaskConnection connection, BufferAllocator allocator, ReadAhead reader, List<Sql> statements,
            String pipeline, List<String> columns, ColumnType[] types) {}

    private final TaskConnection connection;
    private final BufferAllocator allocator;
    private final ReadAhead reader;
    private final List<Sql> statements;
    private final String pipeline;
    private final ArrowStage rows;
    private final DuckDBAppender rejects;
    private final WarehousePosition before;
    private final Consumer<WarehousePosition> moved;

    /**
     * @param moved told where the warehouse stands after the commit, or null when the commit failed and it is
     *     to be read afresh
     */
    DuckDbLoad(Setup setup, WarehousePosition before, Consumer<WarehousePosition> moved) throws SQLException {
        this.before = before;
        this.moved = moved;
        this.connection = setup.connection();
        this.allocator = setup.allocator();
        this.reader = setup.reader();
        this.statements = setup.statements();
        this.pipeline = setup.pipeline();
        connection.execute("DELETE FROM cp_stage_rejects", List.of());
        this.rejects = connection.jdbc().createAppender("temp", "main", "cp_stage_rejects");
        this.rows = new ArrowStage(allocator, setup.columns(), setup.types());
    }

    @Override
    public Staged stage(LandedFile file, long fileId) throws SQLException {
        try {
            ReadSummary summary = reader.read(file.path(), file.name(), new ReadAhead.Target() {
                @Override
                public void accept(long line, Object[] values) {
                    rows.add(fileId, line, values);
                }

                @Override
                public void reject(RejectedRow row) throws SQLException {
                    rejects.beginRow().append(fileId).append(row.line());
                    appendText(row.column());
                    rejects.append(row.reason());
                    appendText(row.rawText());
                    rejects.endRow();
                }
            });
            return new Staged.Read(summary);
        } catch (FileRefusedException e) {
            return new Staged.Refused(e.getMessage(), e.checks());
        } catch (HeaderAddsColumnsException e) {
            return new Staged.AddsColumns(e.columns());
        } catch (NoSuchFileException e) {
            return new Staged.Vanished();
        } catch (IOException e) {
            throw new SQLException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private void appendText(String text) throws SQLException {
        if (text == null) {
            rejects.appendNull();
        } else {
            rejects.append(text);
        }
    }

    @Override
    public void unstage(long fileId) throws SQLException {
        rows.drop(fileId);
        rejects.flush();
        connection.execute("DELETE FROM cp_stage_rejects WHERE _file_id = ?", List.of(fileId));
    }

    @Override
    public void commit(List<LedgerBatch.Entry> entries) throws SQLException {
        try {
            rejects.flush();
            write(entries);
        } catch (SQLException | RuntimeException e) {
            moved.accept(null);
            throw e;
        }
        LedgerBatch.Entry last = entries.get(entries.size() - 1);
        moved.accept(before.afterLoad(last.fileId(), last.ingestedAt()));
    }

    private void write(List<LedgerBatch.Entry> entries) throws SQLException {
        connection.inTransaction(() -> {
            // The ledger rows first: they give each staged row its file name and ingestion time (load.sql).
            writeLedger(entries);
            try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                // The staged rows become the view cp_stage, which the load's first statement reads once.
                Data.exportArrayStream(allocator, rows.reader(), stream);
                connection.jdbc().registerArrowStream(STAGE, stream);
                for (Sql statement : statements) {
                    connection.execute(statement, Map.of("pipeline", pipeline));
                }
            }
            FaultPoint.LOAD_BEFORE_COMMIT.reached();
            return null;
        });
    }

    private void writeLedger(List<LedgerBatch.Entry> entries) throws SQLException {
        try (PreparedStatement insert = connection.jdbc().prepareStatement(INSERT_LEDGER)) {
            for (LedgerBatch.Entry e : entries) {
                Jdbc.bind(insert, Arrays.asList(pipeline, e.fileId(), e.file().name(), e.file().location(),
                        e.file().size(), e.file().contentHash(), Jdbc.utc(e.file().lastModified()), e.status().word(),
                        e.loaded(), e.rejected(), e.firstError(), Jdbc.utc(e.ingestedAt()), e.version(),
                        e.originalFileId(), e.file().etag(), e.checks().toJson(), e.drift().toJson()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            rejects.close();
        } finally {
            rows.close();
        }
    }
}
