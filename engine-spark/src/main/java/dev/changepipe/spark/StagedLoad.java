package dev.changepipe.spark;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.HeaderAddsColumnsException;
import dev.changepipe.csv.ReadSummary;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.csv.RowSink;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerBatch;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One load on Spark: the files' rows and rejects are held in memory while core decides each file's fate,
 * and written only at commit, once the ledger entries give them their file names and ingestion times.
 * Delta commits one table at a time, so the commit is three appends — raw rows, rejects, ledger entries —
 * and the last one is the commit point; {@link UncommittedLoads} removes what the first two leave when the
 * last one is not reached.
 */
final class StagedLoad implements FileLoad {
    private record StagedRow(long fileId, long line, Object[] values) {}

    private record Rejected(long fileId, RejectedRow row) {}

    private final PipelineTables tables;
    private final SparkLedger ledger;
    private final UncommittedLoads uncommitted;
    private final ChangeFileReader reader;
    private final LoadSchemas schemas;
    private final List<StagedRow> rows = new ArrayList<>();
    private final List<Rejected> rejects = new ArrayList<>();

    StagedLoad(PipelineTables tables, SparkLedger ledger, UncommittedLoads uncommitted, ChangeFileReader reader,
            LoadSchemas schemas) {
        this.tables = tables;
        this.ledger = ledger;
        this.uncommitted = uncommitted;
        this.reader = reader;
        this.schemas = schemas;
    }

    @Override
    public Staged stage(LandedFile file, long fileId) throws IOException {
        try {
            ReadSummary summary = reader.read(file.path(), file.name(), new RowSink() {
                @Override
                public void accept(long line, Object[] values) {
                    rows.add(new StagedRow(fileId, line, values.clone()));
                }

                @Override
                public void reject(RejectedRow row) {
                    rejects.add(new Rejected(fileId, row));
                }
            });
            return new Staged.Read(summary);
        } catch (FileRefusedException e) {
            return new Staged.Refused(e.getMessage(), e.checks());
        } catch (HeaderAddsColumnsException e) {
            return new Staged.AddsColumns(e.columns());
        } catch (NoSuchFileException e) {
            return new Staged.Vanished();
        }
    }

    @Override
    public void unstage(long fileId) {
        rows.removeIf(r -> r.fileId() == fileId);
        rejects.removeIf(r -> r.fileId() == fileId);
    }

    @Override
    public void commit(List<LedgerBatch.Entry> entries) {
        PipelineTables.failing("committing the load of " + entries.size() + " files", () -> {
            Map<Long, LedgerBatch.Entry> byId = new HashMap<>();
            entries.forEach(e -> byId.put(e.fileId(), e));
            uncommitted.writing();
            tables.append(tables.at().raw(), rawRows(byId), schemas.raw());
            FaultPoint.RAW_APPENDED.reached();
            tables.append(tables.at().rejects(), rejectRows(byId), schemas.rejects());
            FaultPoint.LOAD_BEFORE_COMMIT.reached();
            ledger.append(entries);
            uncommitted.committed();
        });
        rows.clear();
        rejects.clear();
    }

    /** Drops what was staged; a load closed after a commit that failed leaves {@link UncommittedLoads} to clean up. */
    @Override
    public void close() {
        rows.clear();
        rejects.clear();
    }

    private List<Row> rawRows(Map<Long, LedgerBatch.Entry> entries) {
        int columns = schemas.columnCount();
        int added = schemas.addedCount();
        List<Row> result = new ArrayList<>(rows.size());
        for (StagedRow row : rows) {
            LedgerBatch.Entry entry = entries.get(row.fileId());
            // The reader gives the spec's declared columns, the columns files added (rule 1.10), then the rescued values
            // (rule 1.8); the raw table holds the declared ones, where each row came from, the rescued values, the added.
            Object[] read = row.values();
            Object[] values = Arrays.copyOf(read, columns + 5 + added);
            values[columns + 4] = read[columns + added];
            System.arraycopy(read, columns, values, columns + 5, added);
            for (int i = 0; i < values.length; i++) {
                // The session reads and writes instants (java8API); the reader gives timestamptz values with an offset.
                values[i] = values[i] instanceof OffsetDateTime t ? t.toInstant() : values[i];
            }
            values[columns] = row.fileId();
            values[columns + 1] = entry.file().name();
            values[columns + 2] = row.line();
            values[columns + 3] = entry.ingestedAt();
            result.add(RowFactory.create(values));
        }
        return result;
    }

    private List<Row> rejectRows(Map<Long, LedgerBatch.Entry> entries) {
        List<Row> result = new ArrayList<>(rejects.size());
        for (Rejected rejected : rejects) {
            LedgerBatch.Entry entry = entries.get(rejected.fileId());
            RejectedRow row = rejected.row();
            result.add(RowFactory.create(rejected.fileId(), entry.file().name(), row.line(), entry.ingestedAt(),
                    row.column(), row.reason(), row.rawText()));
        }
        return result;
    }
}
