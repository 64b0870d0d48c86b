package dev.changepipe.duckdb;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StoredReject;
import dev.changepipe.engine.StoredShape;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.WarehouseInUseException;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerPosition;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.scd.CurrentAsOf;
import dev.changepipe.scd.Scd1Plan;
import dev.changepipe.scd.Scd2Plan;
import dev.changepipe.scd.ScdPlan;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.DuckDbDialect;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: all tables of a pipeline in one DuckDB file under {@code engine.path}.
 *
 * <p>Each operation runs in one DuckDB transaction together with the ledger entry or offset that
 * records it. Loads and tasks use one connection ({@link TaskConnection}); users' queries and the bookkeeping
 * reads use a second one ({@link WarehouseReads}) so that readers see committed data while a task runs.
 */
final class DuckDbEngine implements Engine {
    static final String DATABASE_FILE = "warehouse.duckdb";
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);
    private static final Pattern LOCK_HOLDER = Pattern.compile("PID (\\d+)");
    static final String CHECKPOINT_THRESHOLD = "256MB";
    /** The write-ahead log an idle moment checkpoints: DuckDB's own default threshold. */
    static final long IDLE_CHECKPOINT_BYTES = 16L << 20;
    private final long idleCheckpointBytes;

    private static final SqlTemplate SCHEMA = SqlTemplate.load(DuckDbEngine.class, "schema.sql");
    private static final SqlTemplate LOAD = SqlTemplate.load(DuckDbEngine.class, "load.sql");
    private static final SqlTemplate APPLY_CURRENT = SqlTemplate.load(DuckDbEngine.class, "apply_current.sql");
    private static final SqlTemplate APPLY_HISTORY = SqlTemplate.load(DuckDbEngine.class, "apply_history.sql");

    private final Path databaseFile;
    private final TaskConnection connection;
    private final WarehouseReads reads;
    private final StoredOffsets offsets;
    private final SqlDialect dialect;
    /** Where a load's rows are staged (off the heap) until DuckDB has copied them. */
    private final BufferAllocator allocator;
    /** What the spec, with the columns files added (rule 1.10), makes of the engine; replaced when a file adds one. */
    private volatile Shape shape;
    /** The spec with the columns files added, and its fragments; replaced with {@link #shape}. */
    private volatile PipelineSpec spec;
    private volatile Map<String, Sql> fragments;
    /** Null until read, and again after any failure: then DuckDB is asked afresh. */
    private WarehousePosition position;

    /**
     * Everything the engine derives from its spec: the plans' statements, the reader and what a load stages, the change
     * feed's reads. Made again, with the new spec, when a file adds columns.
     *
     * @param historyActions the temporary table the history task's plan materializes, whose rows it counts
     */
    private record Shape(String historyActions, List<Sql> currentStatements, List<Sql> historyStatements, ReadAhead reader,
            DuckDbLoad.Setup loadSetup, DuckDbChangeFeed feed) {}

    private DuckDbEngine(PipelineSpec spec, Path databaseFile, DuckDBConnection connection, BufferAllocator allocator,
            String memoryLimit, long idleCheckpointBytes) throws SQLException {
        this.allocator = allocator;
        this.idleCheckpointBytes = idleCheckpointBytes;
        this.databaseFile = databaseFile;
        this.dialect = new DuckDbDialect(spec.tables());
        this.connection = new TaskConnection(connection, dialect);
        this.offsets = new StoredOffsets(this.connection, spec.name());
        reshape(spec);
        this.reads = new WarehouseReads((DuckDBConnection) connection.duplicate(), spec.name(), Map.of(
                "raw", text("raw"), "rejects", text("rejects"), "current", text("current"), "changes", text("changes"),
                "history", text("history")));
        // GLOBAL, so that connections made after the configuration is locked (below) read in UTC too.
        this.connection.execute("SET GLOBAL TimeZone = 'UTC'", List.of());
        // DuckDB checkpoints inside whichever commit takes its write-ahead log past the threshold, and
        // that commit's files wait for it (0.1-0.2 s for ten 1,000-row files' log, 0.8-1.0 s for forty,
        // on a 2-core Xeon). The engine checkpoints in idle moments instead (idle()), once the log holds
        // DuckDB's default of 16 MB; the threshold here only bounds a stream that never pauses (about
        // every 300 such files) and what a restart replays (98 MB of log took 1.3 s to open). A lower
        // one measured worse for such a stream: at 8 MB and 16 MB the live bench's p50 was 668 and 467 ms
        // against 288 ms at 256 MB.
        this.connection.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'", List.of());
        // A database-wide setting; the factory let only a size through (SET takes no bound value).
        this.connection.execute("SET memory_limit = '" + memoryLimit + "'", List.of());
        // Last, since it holds for the whole database instance and can never be switched back on: users' queries
        // (query, the endpoint, the SQL door) run on connections of this instance, and must not read or write files
        // or attach databases (COPY ... TO, read_csv, ATTACH). The engine itself reads no file through DuckDB.
        this.connection.execute("SET enable_external_access = false", List.of());
        // And no statement may change any setting afterwards, the engine's included: memory_limit, the threshold
        // and the time zone above stay as set. Loads still work: their rows come in a registered Arrow stream, which
        // is no file (measured on DuckDB 2.0.0.1: the engine's whole suite passes with both set).
        this.connection.execute("SET lock_configuration = true", List.of());
    }

    /**
     * The plan as one statement that materializes its action relation, then the script that applies it.
     * One statement instead of a temporary table per step: a small cycle's cost is mostly per statement
     * (a 1,000-row cycle's current task 35 → 26 ms, history 68 → 58 ms at 300k raw rows).
     */
    private static List<Sql> statements(ScdPlan plan, SqlTemplate script, Map<String, Sql> fragments) {
        List<Sql> statements = new ArrayList<>();
        statements.add(Sql.builder().text("CREATE OR REPLACE TEMP TABLE " + plan.actions().name() + " AS\n")
                .sql(plan.asQuery()).build());
        statements.addAll(script.render(fragments));
        return List.copyOf(statements);
    }

    /** Derives the engine's plans, reader and load from {@code shaped}; the reader of the shape before is closed. */
    private void reshape(PipelineSpec shaped) {
        Map<String, Sql> shapedFragments = DuckDbSchema.fragments(shaped, dialect);
        ScdPlan historyPlan = Scd2Plan.of(shaped, dialect);
        ReadAhead reader = new ReadAhead(new ChangeFileReader(shaped));
        // The reader hands each row's rescued values after the spec's columns (rule 1.8); they are staged with them.
        List<ColumnType> staged = new ArrayList<>(shaped.columns().values());
        staged.add(ColumnType.VARCHAR);
        List<String> stagedNames = new ArrayList<>(shaped.columns().keySet());
        stagedNames.add(TableColumns.RESCUED);
        Shape before = shape;
        shape = new Shape(historyPlan.actions().name(),
                statements(Scd1Plan.of(shaped, dialect), APPLY_CURRENT, shapedFragments),
                statements(historyPlan, APPLY_HISTORY, shapedFragments), reader,
                new DuckDbLoad.Setup(connection, allocator, reader, LOAD.render(shapedFragments), shaped.name(),
                        List.copyOf(stagedNames), staged.toArray(ColumnType[]::new)),
                new DuckDbChangeFeed(connection, offsets, shaped, shapedFragments));
        spec = shaped;
        fragments = shapedFragments;
        if (before != null) {
            before.reader().close();
        }
    }

    static DuckDbEngine open(PipelineSpec spec, String memoryLimit) {
        return open(spec, memoryLimit, IDLE_CHECKPOINT_BYTES);
    }

    /** {@link #open(PipelineSpec, String)} checkpointing in idle moments once the log holds {@code idleCheckpointBytes}. */
    static DuckDbEngine open(PipelineSpec spec, String memoryLimit, long idleCheckpointBytes) {
        Path folder = spec.engine().path();
        Path file = folder.resolve(DATABASE_FILE);
        // First, so that a JVM without what Arrow needs is refused before the warehouse is touched.
        BufferAllocator allocator = ArrowMemory.allocator();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            allocator.close();
            throw ChangepipeException.external("engine.path: cannot create the warehouse folder " + folder + ": " + e.getMessage(), e);
        }
        try {
            WarehouseFormat.prepare(file, memoryLimit);
            return new DuckDbEngine(spec, file, (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file),
                    allocator, memoryLimit, idleCheckpointBytes);
        } catch (SQLException e) {
            allocator.close();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock")) {
                // DuckDB's "Could not set lock on file … Conflicting lock is held in <program> (PID n)".
                Matcher pid = LOCK_HOLDER.matcher(message);
                throw new WarehouseInUseException(folder.toString(),
                        pid.find() ? OptionalLong.of(Long.parseLong(pid.group(1))) : OptionalLong.empty(), e);
            }
            throw ChangepipeException.external("cannot open warehouse " + file + ": " + message, e);
        }
    }

    @Override
    public void prepare() {
        try {
            for (Sql statement : SCHEMA.render(fragments)) {
                connection.execute(statement, Map.of());
            }
            migrate();
            connection.execute(Scd2Plan.openEnds(spec, dialect), Map.of());
            for (String consumer : List.of(Consumers.CURRENT, Consumers.HISTORY)) {
                if (connection.queryLong("SELECT count(*) FROM changepipe.offsets WHERE pipeline = ? AND consumer = ?",
                        spec.name(), consumer) == 0) {
                    connection.execute("INSERT INTO changepipe.offsets VALUES (?, ?, 0, ?)",
                            List.of(spec.name(), consumer, Jdbc.now()));
                }
            }
        } catch (SQLException e) {
            throw ChangepipeException.external("cannot prepare the tables of pipeline " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the tables an earlier spec made those of this spec (rules 1.9–1.12), in one transaction: a crash, or a value
     * that does not fit, leaves every table as it was. When raw values changed, both tasks start again from the first
     * file, so the current and history tables are derived again for every key as if the spec had said so from the start.
     */
    private void migrate() throws SQLException {
        TableMigration migration = new TableMigration(connection, dialect, spec.tables());
        connection.inTransaction(() -> {
            StoredShape stored = StoredShape.of(spec, columnsOf(spec.tables().raw()), migration.reads(), dialect);
            migration.join(stored);
            migration.fill(stored);
            if (!stored.spec().equals(spec)) {
                reshape(stored.spec());
            }
            List<TableColumns.TypeChange> changes = new ArrayList<>();
            changes.addAll(checkColumns(spec.tables().raw(), TableColumns.raw(spec, dialect)));
            changes.addAll(checkColumns(spec.tables().current(), TableColumns.current(spec, dialect)));
            changes.addAll(checkColumns(spec.tables().history(), TableColumns.history(spec, dialect)));
            boolean parsed = migration.change(changes, spec, stored.retyped());
            if (stored.rederives() || parsed) {
                LOG.info("deriving the current and history tables of pipeline {} again from every raw row, as its raw"
                        + " values changed", spec.name());
                offsets.commit(Consumers.CURRENT, 0);
                offsets.commit(Consumers.HISTORY, 0);
                position = null;
            }
            return null;
        });
    }

    /** A table made by an earlier spec must have the columns this spec needs; only a changed type is altered (rules 1.9, 1.11). */
    private List<TableColumns.TypeChange> checkColumns(String table, Map<String, String> expected) throws SQLException {
        return TableColumns.check(table, databaseFile.getParent(), columnsOf(table), expected, spec.addedColumns(), dialect);
    }

    private Map<String, String> columnsOf(String table) throws SQLException {
        Map<String, String> have = new LinkedHashMap<>();
        for (List<Object> row : connection.select("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position""", List.of(table)).rows()) {
            have.put((String) row.get(0), (String) row.get(1));
        }
        return have;
    }

    /** Adds the columns to the four tables in one transaction, then reads and plans with them (rule 1.10). */
    @Override
    public void addColumns(List<String> columns) {
        try {
            connection.inTransaction(() -> {
                for (String table : List.of(spec.tables().raw(), spec.tables().current(), spec.tables().history(),
                        spec.tables().changes())) {
                    for (String column : columns) {
                        connection.execute("ALTER TABLE " + dialect.quote(table) + " ADD COLUMN IF NOT EXISTS "
                                + dialect.quote(column) + " " + dialect.typeName(ColumnType.VARCHAR), List.of());
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw ChangepipeException.external("adding column '" + String.join("', '", columns) + "' to the tables of"
                    + " pipeline " + spec.name() + " failed: " + e.getMessage(), e);
        }
        LOG.info("added column '{}' to the tables of pipeline {}, as a file's header brought it (schema.new_columns: add)",
                String.join("', '", columns), spec.name());
        reshape(spec.withAddedColumns(columns));
    }

    @Override
    public PipelineSpec shape() {
        return spec;
    }

    @Override
    public LedgerPosition ledgerPosition() {
        try {
            WarehousePosition at = position();
            return new LedgerPosition(at.lastFileId(), at.lastIngestedAt());
        } catch (SQLException e) {
            throw ChangepipeException.external("reading the file ledger failed: " + e.getMessage(), e);
        }
    }

    @Override
    public FileLoad beginLoad() {
        try {
            return new DuckDbLoad(shape.loadSetup(), position(), moved -> position = moved);
        } catch (SQLException e) {
            position = null;
            throw ChangepipeException.external("cannot begin a load: " + e.getMessage(), e);
        }
    }

    private WarehousePosition position() throws SQLException {
        if (position == null) {
            List<Object> ledger = connection.select(
                    "SELECT coalesce(max(file_id), 0), max(ingested_at) FROM changepipe.files WHERE pipeline = ?",
                    List.of(spec.name())).rows().get(0);
            position = new WarehousePosition(Jdbc.number(ledger.get(0)), Jdbc.instant(ledger.get(1)),
                    connection.queryLong("SELECT coalesce(max(_commit_version), 0) FROM " + text("changes")),
                    Map.of(Consumers.CURRENT, offset(Consumers.CURRENT), Consumers.HISTORY, offset(Consumers.HISTORY)));
        }
        return position;
    }

    @Override
    public TaskResult applyCurrent() {
        return applyTask(PipelineTask.CURRENT, Consumers.CURRENT, shape.currentStatements(),
                version -> connection.queryLong("SELECT count(*) FROM " + text("changes") + " WHERE _commit_version = ?", version),
                true, FaultPoint.CURRENT_BEFORE_COMMIT);
    }

    @Override
    public TaskResult applyHistory() {
        String historyActions = shape.historyActions();
        return applyTask(PipelineTask.HISTORY, Consumers.HISTORY, shape.historyStatements(),
                version -> connection.queryLong("SELECT count(*) FROM " + historyActions + " WHERE _action <> 'delete'"),
                false, FaultPoint.HISTORY_BEFORE_COMMIT);
    }

    /** Checkpoints the write-ahead log once it holds {@link #IDLE_CHECKPOINT_BYTES}, so that no commit of a busy moment has to. */
    @Override
    public void idle() {
        Path log = databaseFile.resolveSibling(databaseFile.getFileName() + ".wal");
        try {
            if (!Files.exists(log) || Files.size(log) < idleCheckpointBytes) {
                return;
            }
            long started = System.nanoTime();
            connection.execute("CHECKPOINT", List.of());
            LOG.debug("checkpointed {} while idle in {} ms", databaseFile, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | SQLException e) {
            // A query on the read connection holds a transaction; the next idle moment tries again.
            LOG.debug("no checkpoint while idle: {}", ChangepipeException.firstLine(e.getMessage()));
        }
    }

    /** The rows a task wrote, counted before it commits. */
    private interface RowsOut {
        long count(long version) throws SQLException;
    }

    /**
     * Consumes the raw rows after the consumer's offset, atomically with moving the offset: core's plan
     * materializes its action relation as a temporary table, and the task's script applies it.
     *
     * @param writesFeed whether the task appends to the change feed under the new commit version
     */
    private TaskResult applyTask(PipelineTask task, String consumer, List<Sql> statements, RowsOut rowsOut,
            boolean writesFeed, FaultPoint beforeCommit) {
        try {
            WarehousePosition before = position();
            long from = before.offset(consumer);
            long to = before.lastFileId();
            if (to <= from) {
                return TaskResult.skipped(task, from);
            }
            long version = before.lastVersion() + 1;
            TaskResult result = connection.inTransaction(() -> {
                Map<String, Object> values = Map.of("from_file", from, "to_file", to, "version", version,
                        "committed_at", Jdbc.now());
                for (Sql statement : statements) {
                    connection.execute(statement, values);
                }
                long rowsIn = connection.queryLong("SELECT count(*) FROM " + text("raw") + " WHERE _file_id > ? AND _file_id <= ?",
                        from, to);
                long written = rowsOut.count(version);
                offsets.commit(consumer, to);
                beforeCommit.reached();
                return new TaskResult(task, rowsIn, written, from, to);
            });
            position = before.afterTask(consumer, to, writesFeed && result.rowsOut() > 0 ? version : before.lastVersion());
            return result;
        } catch (RuntimeException e) {
            position = null;
            throw e;
        } catch (SQLException e) {
            position = null;
            LOG.debug("task {} of pipeline {} failed", task.label(), spec.name(), e);
            throw ChangepipeException.external("task " + task.label() + " of pipeline " + spec.name() + " failed: "
                    + ChangepipeException.firstLine(e.getMessage()), e);
        }
    }

    private long offset(String consumer) throws SQLException {
        return offsets.committed(consumer);
    }

    @Override
    public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
        return shape.feed().read(consumer, maxVersions);
    }

    @Override
    public void commitFeedOffset(String consumer, long version) {
        shape.feed().commit(consumer, version);
    }

    @Override
    public void recordTaskRun(TaskRun run) {
        try {
            connection.execute("""
                    INSERT INTO changepipe.task_history
                        (pipeline, task, started, ended, rows_in, rows_out, attempt, status, error, check_failures)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    Arrays.asList(spec.name(), run.task().label(), Jdbc.utc(run.started()), Jdbc.utc(run.ended()), run.rowsIn(),
                            run.rowsOut(), run.attempt(), run.status(), run.error(), run.checks().toJson()));
        } catch (SQLException e) {
            throw ChangepipeException.external("cannot write the task history: " + e.getMessage(), e);
        }
    }

    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        return reads.query(sql, parameters);
    }

    @Override
    public QueryResult queryAsOf(String sql, List<Object> parameters, String asOf) {
        SqlDialect.Executable statement = CurrentAsOf.statement(spec, dialect, sql, parameters, asOf);
        return reads.query(statement.text(), statement.values());
    }

    @Override
    public ArrowReader queryArrow(String sql, BufferAllocator allocator) {
        return reads.arrow(sql, allocator);
    }

    @Override
    public List<LedgerEntry> ledger(LedgerQuery query) {
        return reads.ledger(query);
    }

    @Override
    public List<Offset> offsets() {
        return reads.offsets();
    }

    @Override
    public List<TaskRun> taskHistory(int limit) {
        return reads.taskHistory(limit);
    }

    @Override
    public TableCounts rowCounts() {
        return reads.rowCounts();
    }

    @Override
    public List<StoredReject> rejects(int limit) {
        return reads.rejects(limit);
    }

    @Override
    public void close() {
        shape.reader().close();
        try {
            reads.close();
            connection.close();
            allocator.close();
        } catch (SQLException e) {
            throw ChangepipeException.external("closing warehouse " + databaseFile + " failed: " + e.getMessage(), e);
        }
    }

    /** A piece of the engine's fragments that holds only text: a quoted name or a column list. */
    private String text(String fragment) {
        return fragments.get(fragment).plainText();
    }
}
