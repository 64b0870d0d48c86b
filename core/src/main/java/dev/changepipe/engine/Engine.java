package dev.changepipe.engine;

import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.FileLoader;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerPosition;
import dev.changepipe.ledger.LedgerQuery;
import java.time.Clock;
import java.util.List;

/**
 * Where a pipeline's tables live and how its tasks change them. One instance serves one pipeline and
 * is used by one thread at a time, except {@link #query} and the bookkeeping reads ({@link #ledger},
 * {@link #offsets}, {@link #taskHistory}, {@link #rowCounts}, {@link #rejects}), which may be called from other
 * threads while a task runs and see only committed data.
 *
 * <p>Every method that changes data is atomic: it commits all of its effects, including the offset
 * or ledger entry that records it, or none of them. A crash at any point followed by a restart
 * therefore leaves the tables exactly as an uninterrupted run would.
 */
public interface Engine extends AutoCloseable {

    /** Creates the pipeline's tables when they are absent and checks existing ones against the spec. Called once, first. */
    void prepare();

    /**
     * Where the ledger stands, as committed: the file ids and ingestion times of a load continue from it. For the
     * thread that loads; other threads read the ledger ({@link #ledger}).
     */
    LedgerPosition ledgerPosition();

    /** Begins a load: core's {@link FileLoader} stages its files through it and commits its ledger entries. */
    FileLoad beginLoad();

    /**
     * Loads landed files, in the order given, into the raw table, their bad rows into the rejects
     * table, and records them in the file ledger, all at one commit point; returns one outcome per file.
     * A file whose name and content the ledger already holds is not loaded again
     * ({@link FileOutcome.AlreadyRecorded} or {@link FileOutcome.Redelivered}); one that changed while
     * it was read is left out and not recorded ({@link FileOutcome.ChangedWhileRead}). Core decides each
     * file's fate ({@link FileLoader}); engines do not override this.
     */
    default List<FileOutcome> load(List<LandedFile> files) {
        return new FileLoader(this, Clock.systemUTC()).load(files);
    }

    /** {@link #load(List)} for one file. */
    default FileOutcome load(LandedFile file) {
        return load(List.of(file)).get(0);
    }

    /**
     * Applies the raw rows the current table has not consumed yet, appends what changed to the change
     * feed under a new commit version, and advances the current table's offset, in one transaction.
     */
    TaskResult applyCurrent();

    /** Applies the raw rows the history table has not consumed yet and advances its offset, in one transaction. */
    TaskResult applyHistory();

    /** The change feed after {@code consumer}'s committed offset, at most {@code maxVersions} commit versions. */
    ChangeFeedBatch readChangeFeed(String consumer, int maxVersions);

    /** Commits {@code consumer}'s offset; it never moves backwards. */
    void commitFeedOffset(String consumer, long version);

    /**
     * Upkeep an engine defers to a moment when it delays no file: the runner calls this once the
     * landing zone has been quiet for a while and no task has input (the embedded engine checkpoints
     * its write-ahead log here). It changes no table's content; an engine without such upkeep does
     * nothing.
     */
    default void idle() {}

    /** Appends an entry to the task history. */
    void recordTaskRun(TaskRun run);

    /** Runs one SQL statement with bound parameters; safe to call while a task runs. */
    QueryResult query(String sql, List<Object> parameters);

    /** The file ledger's entries that {@code query} selects, in its order, as committed. */
    List<LedgerEntry> ledger(LedgerQuery query);

    /** Every committed offset of the pipeline (both tasks' and each feed consumer's), by consumer name. */
    List<Offset> offsets();

    /** The latest {@code limit} entries of the task history, newest first. */
    List<TaskRun> taskHistory(int limit);

    /** The row counts of the pipeline's tables. */
    TableCounts rowCounts();

    /** The latest {@code limit} rows of the rejects table, newest file and line first. */
    List<StoredReject> rejects(int limit);

    @Override
    void close();
}
