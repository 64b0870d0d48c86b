package dev.changepipe.engine;

import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.FileLoader;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerPosition;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.PipelineSpec;
import java.time.Clock;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Where a pipeline's tables live and how its tasks change them. One instance serves one pipeline and
 * is used by one thread at a time, except {@link #query}, {@link #queryArrow} and the bookkeeping reads ({@link #ledger},
 * {@link #offsets}, {@link #taskHistory}, {@link #rowCounts}, {@link #rejects}), which may be called from other
 * threads while a task runs and see only committed data.
 *
 * <p>Every method that changes data is atomic: it commits all of its effects, including the offset
 * or ledger entry that records it, or none of them. A crash at any point followed by a restart
 * therefore leaves the tables exactly as an uninterrupted run would. The task history is the one
 * exception an engine may make: see {@link #recordTaskRun}.
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

    /**
     * Adds {@code columns}, which a file's header brought under {@code schema.new_columns: add} (rule 1.10), to the raw,
     * current and history tables and the change feed as varchar value columns, committed, NULL in every row so far; later
     * loads and tasks use them. A column the tables have already is left as it is.
     */
    void addColumns(List<String> columns);

    /** The spec the engine runs: the one it was opened with, and the columns files added to its tables (rule 1.10). */
    PipelineSpec shape();

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

    /**
     * Appends an entry to the task history. On the embedded engine the entry is committed when this
     * returns. The Spark engine holds a successful run and writes it with the next write of the task
     * history (before its next load appends anything, when it is idle or closed, and when the history is
     * read); a failed run is written at once. A crash there loses the successful runs recorded since the
     * last write, those of the latest cycle that did work (whose data is committed), and no failed run.
     */
    void recordTaskRun(TaskRun run);

    /** Runs one SQL statement with bound parameters; safe to call while a task runs. */
    QueryResult query(String sql, List<Object> parameters);

    /**
     * As {@link #query}, with the current table's name meaning the current table as of sequence time {@code asOf}
     * (rule 3.5 of docs/semantics.md, {@code CurrentAsOf}), read as a value of the sequence column's type.
     *
     * @throws dev.changepipe.error.ChangepipeException a user error when {@code asOf} is not such a value
     */
    QueryResult queryAsOf(String sql, List<Object> parameters, String asOf);

    /**
     * Runs one read-only statement and streams its result as Arrow record batches, for the SQL door's clients.
     *
     * <ul>
     *   <li>Thread-safety: may be called from any thread, by several threads at once, while tasks run; each call
     *       reads on its own and does not wait for a task to end.
     *   <li>Read-only: the statement changes nothing. The embedded engine runs it in a transaction of its own that
     *       is rolled back when the reader closes; Spark refuses, before anything runs, a statement that would
     *       write ({@code ReadOnlyStatements}).
     *   <li>What is seen: data committed when the statement starts, never a task's half-done work. The column
     *       names and types, and the values, are those {@link #query} returns for the same statement, in Arrow's
     *       types: bigint Int64, integer Int32, double Float64, decimal Decimal(38, 9), varchar Utf8, boolean Bool,
     *       date Date(day), timestamp Timestamp(µs) without a zone, timestamptz Timestamp(µs, "UTC").
     *   <li>Resources: the caller closes the reader; that ends the read (and frees what it holds, such as the
     *       embedded engine's connection). Every buffer comes from {@code allocator}.
     * </ul>
     *
     * A statement that fails to parse or to plan fails here, as a user error; one that fails while its rows are
     * read fails in {@link ArrowReader#loadNextBatch()}.
     */
    ArrowReader queryArrow(String sql, BufferAllocator allocator);

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
