package dev.changepipe.duckdb;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.ReadSummary;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.FileStaging;
import dev.changepipe.ledger.KnownFile;
import dev.changepipe.ledger.LedgerBatch;
import dev.changepipe.ledger.LandedFile;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: all tables of a pipeline in one DuckDB file under {@code engine.path}.
 *
 * <p>Each operation runs in one DuckDB transaction together with the ledger entry or offset that
 * records it. Tasks use one connection; {@link #query} and {@link #status} use a second one so that
 * readers see committed data while a task runs.
 */
final class DuckDbEngine implements Engine {
    static final String DATABASE_FILE = "warehouse.duckdb";
    /** The name a load's staged rows go by in its statements (load.sql). */
    private static final String STAGE = "cp_stage";
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

    private final PipelineSpec spec;
    private final Path databaseFile;
    private final DuckDBConnection connection;
    private final DuckDBConnection readConnection;
    private final SqlDialect dialect;
    private final Map<String, Sql> fragments;
    private final String historyActions;
    /** Each task's statements: its plan's steps as temporary tables, then the script that applies the last. */
    private final List<Sql> currentStatements;
    private final List<Sql> historyStatements;
    private final ReadAhead reader;
    private final ColumnType[] columnTypes;
    private final List<String> columnNames;
    /** Where a load's rows are staged (off the heap) until DuckDB has copied them. */
    private final BufferAllocator allocator;
    private final PreparedStatements prepared;
    /** Null until read, and again after any failure: then DuckDB is asked afresh. */
    private WarehousePosition position;

    private DuckDbEngine(PipelineSpec spec, Path databaseFile, DuckDBConnection connection, BufferAllocator allocator,
            String memoryLimit, long idleCheckpointBytes) throws SQLException {
        this.spec = spec;
        this.allocator = allocator;
        this.idleCheckpointBytes = idleCheckpointBytes;
        this.databaseFile = databaseFile;
        this.connection = connection;
        this.readConnection = (DuckDBConnection) connection.duplicate();
        this.prepared = new PreparedStatements(connection);
        this.dialect = new DuckDbDialect(spec.tables());
        this.fragments = DuckDbSchema.fragments(spec, dialect);
        ScdPlan historyPlan = Scd2Plan.of(spec, dialect);
        this.historyActions = historyPlan.actions().name();
        this.currentStatements = statements(Scd1Plan.of(spec, dialect), APPLY_CURRENT);
        this.historyStatements = statements(historyPlan, APPLY_HISTORY);
        this.reader = new ReadAhead(new ChangeFileReader(spec));
        this.columnTypes = spec.columns().values().toArray(ColumnType[]::new);
        this.columnNames = List.copyOf(spec.columns().keySet());
        for (Connection c : List.of(connection, readConnection)) {
            execute(c, "SET TimeZone = 'UTC'", List.of());
        }
        // DuckDB checkpoints inside whichever commit takes its write-ahead log past the threshold, and
        // that commit's files wait for it (0.1-0.2 s for ten 1,000-row files' log, 0.8-1.0 s for forty,
        // on a 2-core Xeon). The engine checkpoints in idle moments instead (idle()), once the log holds
        // DuckDB's default of 16 MB; the threshold here only bounds a stream that never pauses (about
        // every 300 such files) and what a restart replays (98 MB of log took 1.3 s to open). A lower
        // one measured worse for such a stream: at 8 MB and 16 MB the live bench's p50 was 668 and 467 ms
        // against 288 ms at 256 MB.
        execute(connection, "SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'", List.of());
        // A database-wide setting; the factory let only a size through (SET takes no bound value).
        execute(connection, "SET memory_limit = '" + memoryLimit + "'", List.of());
    }

    /**
     * The plan as one statement that materializes its action relation, then the script that applies it.
     * One statement instead of a temporary table per step: a small cycle's cost is mostly per statement
     * (a 1,000-row cycle's current task 35 → 26 ms, history 68 → 58 ms at 300k raw rows).
     */
    private List<Sql> statements(ScdPlan plan, SqlTemplate script) {
        List<Sql> statements = new ArrayList<>();
        statements.add(Sql.builder().text("CREATE OR REPLACE TEMP TABLE " + plan.actions().name() + " AS\n")
                .sql(plan.asQuery()).build());
        statements.addAll(script.render(fragments));
        return List.copyOf(statements);
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
            return new DuckDbEngine(spec, file, (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file),
                    allocator, memoryLimit, idleCheckpointBytes);
        } catch (SQLException e) {
            allocator.close();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock")) {
                Matcher pid = LOCK_HOLDER.matcher(message);
                throw ChangepipeException.user("warehouse " + folder + " is in use by "
                        + (pid.find() ? "process " + pid.group(1) : "another process") + "; stop it or use its query endpoint");
            }
            throw ChangepipeException.external("cannot open warehouse " + file + ": " + message, e);
        }
    }

    @Override
    public void prepare() {
        try {
            for (Sql statement : SCHEMA.render(fragments)) {
                execute(connection, statement, Map.of());
            }
            checkColumns(spec.tables().raw(), TableColumns.raw(spec, dialect));
            checkColumns(spec.tables().current(), TableColumns.current(spec, dialect));
            checkColumns(spec.tables().history(), TableColumns.history(spec, dialect));
            for (String consumer : List.of(Consumers.CURRENT, Consumers.HISTORY)) {
                if (queryLong("SELECT count(*) FROM changepipe.offsets WHERE pipeline = ? AND consumer = ?",
                        spec.name(), consumer) == 0) {
                    execute(connection, "INSERT INTO changepipe.offsets VALUES (?, ?, 0, ?)",
                            List.of(spec.name(), consumer, now()));
                }
            }
        } catch (SQLException e) {
            throw ChangepipeException.external("cannot prepare the tables of pipeline " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** A table made by an earlier spec must have the columns this spec needs; nothing is altered silently. */
    private void checkColumns(String table, Map<String, String> expected) throws SQLException {
        Map<String, String> have = new LinkedHashMap<>();
        for (List<Object> row : select(connection, """
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position""", List.of(table)).rows()) {
            have.put((String) row.get(0), (String) row.get(1));
        }
        TableColumns.check(table, databaseFile.getParent(), have, expected);
    }

    @Override
    public List<FileOutcome> load(List<LandedFile> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        try {
            WarehousePosition before = position();
            LedgerBatch batch = new LedgerBatch(before.lastFileId(), before.lastIngestedAt(), Clock.systemUTC());
            Map<String, List<KnownFile>> earlier = earlierLoads(files);
            List<FileOutcome> outcomes = new ArrayList<>();
            execute(connection, "DELETE FROM cp_stage_rejects", List.of());
            try (ArrowStage rows = new ArrowStage(allocator, columnNames, columnTypes)) {
                try (DuckDBAppender rejects = connection.createAppender("temp", "main", "cp_stage_rejects")) {
                    for (LandedFile file : files) {
                        outcomes.add(batch.account(file, earlier.getOrDefault(file.name(), List.of()), new FileStaging() {
                            @Override
                            public Staged stage(LandedFile landed, long fileId) throws SQLException {
                                return DuckDbEngine.this.stage(landed, fileId, rows, rejects);
                            }

                            @Override
                            public void unstage(long fileId) throws SQLException {
                                DuckDbEngine.this.unstage(fileId, rows, rejects);
                            }
                        }));
                    }
                    rejects.flush();
                }
                if (!batch.isEmpty()) {
                    inTransaction(() -> {
                        writeLedger(batch.entries());
                        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                            // The staged rows become the view cp_stage, which the load's first statement reads once.
                            Data.exportArrayStream(allocator, rows.reader(), stream);
                            connection.registerArrowStream(STAGE, stream);
                            for (Sql statement : LOAD.render(fragments)) {
                                execute(connection, statement, Map.of("pipeline", spec.name()));
                            }
                            FaultPoint.LOAD_BEFORE_COMMIT.reached();
                        }
                        return null;
                    });
                    position = before.afterLoad(batch.lastFileId(), batch.lastIngestedAt());
                }
            }
            return outcomes;
        } catch (RuntimeException e) {
            position = null;
            throw e;
        } catch (Exception e) {
            position = null;
            throw ChangepipeException.external("loading " + files.get(0).name()
                    + (files.size() > 1 ? " and " + (files.size() - 1) + " more files" : "") + " failed: " + e.getMessage(), e);
        }
    }

    /** Removes the staged rows and rejects of one file of the batch. */
    private void unstage(long fileId, ArrowStage rows, DuckDBAppender rejects) throws SQLException {
        rows.drop(fileId);
        rejects.flush();
        execute(connection, "DELETE FROM cp_stage_rejects WHERE _file_id = ?", List.of(fileId));
    }

    /** The ledger rows of earlier loads of the batch's file names, by name, in file id order: one query for the batch. */
    private Map<String, List<KnownFile>> earlierLoads(List<LandedFile> files) throws SQLException {
        execute(connection, "DELETE FROM cp_batch_names", List.of());
        try (DuckDBAppender names = connection.createAppender("temp", "main", "cp_batch_names")) {
            for (LandedFile file : files) {
                names.beginRow().append(file.name()).endRow();
            }
        }
        QueryResult rows = select(connection, """
                SELECT file_id, size, last_modified, status, content_hash, name FROM changepipe.files
                WHERE pipeline = ? AND status <> 'vanished' AND name IN (SELECT name FROM cp_batch_names)
                ORDER BY file_id""", List.of(spec.name()));
        Map<String, List<KnownFile>> byName = new HashMap<>();
        for (List<Object> row : rows.rows()) {
            byName.computeIfAbsent((String) row.get(5), n -> new ArrayList<>()).add(new KnownFile(((Number) row.get(0)).longValue(),
                    ((Number) row.get(1)).longValue(), ((OffsetDateTime) row.get(2)).toInstant(), (String) row.get(3),
                    (String) row.get(4)));
        }
        return byName;
    }

    /** Reads one file into the load's Arrow stage and its rejects into the connection's staging table, outside any transaction. */
    private FileStaging.Staged stage(LandedFile file, long fileId, ArrowStage rows, DuckDBAppender rejects)
            throws SQLException {
        try {
            ReadSummary summary = reader.read(file.path(), file.name(), new ReadAhead.Target() {
                @Override
                public void accept(long line, Object[] values) {
                    rows.add(fileId, line, values);
                }

                @Override
                public void reject(RejectedRow row) throws SQLException {
                    rejects.beginRow().append(fileId).append(row.line());
                    appendText(rejects, row.column());
                    rejects.append(row.reason());
                    appendText(rejects, row.rawText());
                    rejects.endRow();
                }
            });
            return new FileStaging.Staged.Read(summary);
        } catch (FileRefusedException e) {
            return new FileStaging.Staged.Refused(e.getMessage());
        } catch (NoSuchFileException e) {
            return new FileStaging.Staged.Vanished();
        } catch (IOException e) {
            throw new SQLException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private static void appendText(DuckDBAppender appender, String text) throws SQLException {
        if (text == null) {
            appender.appendNull();
        } else {
            appender.append(text);
        }
    }

    private void writeLedger(List<LedgerBatch.Entry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO changepipe.files
                    (pipeline, file_id, name, path, size, content_hash, last_modified, status, rows_loaded,
                     rows_rejected, first_error, ingested_at, version, original_file_id, etag)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (LedgerBatch.Entry e : entries) {
                bind(insert, Arrays.asList(spec.name(), e.fileId(), e.file().name(), e.file().location(),
                        e.file().size(), e.file().contentHash(), utc(e.file().lastModified()), e.status(), e.loaded(),
                        e.rejected(), e.firstError(), utc(e.ingestedAt()), e.version(), e.originalFileId(),
                        e.file().etag()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private WarehousePosition position() throws SQLException {
        if (position == null) {
            List<Object> ledger = select(connection,
                    "SELECT coalesce(max(file_id), 0), max(ingested_at) FROM changepipe.files WHERE pipeline = ?",
                    List.of(spec.name())).rows().get(0);
            OffsetDateTime lastIngested = (OffsetDateTime) ledger.get(1);
            position = new WarehousePosition(((Number) ledger.get(0)).longValue(),
                    lastIngested == null ? null : lastIngested.toInstant(),
                    queryLong("SELECT coalesce(max(_commit_version), 0) FROM " + text("changes")),
                    Map.of(Consumers.CURRENT, offset(Consumers.CURRENT), Consumers.HISTORY, offset(Consumers.HISTORY)));
        }
        return position;
    }

    @Override
    public TaskResult applyCurrent() {
        return applyTask(PipelineTask.CURRENT, Consumers.CURRENT, currentStatements,
                version -> queryLong("SELECT count(*) FROM " + text("changes") + " WHERE _commit_version = ?", version),
                true, FaultPoint.CURRENT_BEFORE_COMMIT);
    }

    @Override
    public TaskResult applyHistory() {
        return applyTask(PipelineTask.HISTORY, Consumers.HISTORY, historyStatements,
                version -> queryLong("SELECT count(*) FROM " + historyActions + " WHERE _action <> 'delete'"),
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
            execute(connection, "CHECKPOINT", List.of());
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
            TaskResult result = inTransaction(() -> {
                Map<String, Object> values = Map.of("from_file", from, "to_file", to, "version", version,
                        "committed_at", now());
                for (Sql statement : statements) {
                    execute(connection, statement, values);
                }
                long rowsIn = queryLong("SELECT count(*) FROM " + text("raw") + " WHERE _file_id > ? AND _file_id <= ?",
                        from, to);
                long written = rowsOut.count(version);
                setOffset(consumer, to);
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
        return queryLong("SELECT coalesce(max(committed), 0) FROM changepipe.offsets WHERE pipeline = ? AND consumer = ?",
                spec.name(), consumer);
    }

    private void setOffset(String consumer, long value) throws SQLException {
        int updated = execute(connection, """
                UPDATE changepipe.offsets SET committed = ?, committed_at = ?
                WHERE pipeline = ? AND consumer = ?""", List.of(value, now(), spec.name(), consumer));
        if (updated == 0) {
            execute(connection, "INSERT INTO changepipe.offsets VALUES (?, ?, ?, ?)",
                    List.of(spec.name(), consumer, value, now()));
        }
    }

    @Override
    public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
        String offsetName = Consumers.feed(consumer);
        try {
            long since = offset(offsetName);
            String changes = text("changes");
            long last = queryLong("""
                    SELECT coalesce(max(_commit_version), ?) FROM (
                        SELECT DISTINCT _commit_version FROM %s WHERE _commit_version > ?
                        ORDER BY _commit_version LIMIT ?)""".formatted(changes), since, since, maxVersions);
            QueryResult rows = select(connection, """
                    SELECT _commit_version, _change_type, %s FROM %s
                    WHERE _commit_version > ? AND _commit_version <= ?
                    ORDER BY _commit_version, %s, CASE _change_type WHEN 'update_preimage' THEN 0 ELSE 1 END"""
                    .formatted(text("target_columns"), changes, text("keys")), List.of(since, last));
            List<FeedChange> feed = rows.rows().stream().map(row -> FeedChange.of(spec.targetColumns(), row)).toList();
            return new ChangeFeedBatch(consumer, since, last, feed);
        } catch (SQLException e) {
            throw ChangepipeException.external("reading the change feed of " + spec.tables().current() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void commitFeedOffset(String consumer, long version) {
        String offsetName = Consumers.feed(consumer);
        try {
            inTransaction(() -> {
                long latest = queryLong("SELECT coalesce(max(_commit_version), 0) FROM " + text("changes"));
                if (version > latest) {
                    throw ChangepipeException.user("cannot commit version " + version + " for consumer " + consumer
                            + ": the change feed ends at version " + latest);
                }
                if (version > offset(offsetName)) {
                    setOffset(offsetName, version);
                }
                return null;
            });
        } catch (SQLException e) {
            throw ChangepipeException.external("committing the offset of " + consumer + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void recordTaskRun(TaskRun run) {
        try {
            execute(connection, "INSERT INTO changepipe.task_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Arrays.asList(spec.name(), run.task().label(), utc(run.started()), utc(run.ended()), run.rowsIn(),
                            run.rowsOut(), run.attempt(), run.status(), run.error()));
        } catch (SQLException e) {
            throw ChangepipeException.external("cannot write the task history: " + e.getMessage(), e);
        }
    }

    /** Runs in a transaction that is always rolled back: a query never changes the warehouse. */
    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        synchronized (readConnection) {
            try {
                readConnection.setAutoCommit(false);
                try {
                    return select(readConnection, sql, parameters);
                } finally {
                    readConnection.rollback();
                    readConnection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
            }
        }
    }

    @Override
    public List<StatusSection> status() {
        String name = spec.name();
        List<StatusSection> sections = new ArrayList<>();
        sections.add(new StatusSection("Tables", query("""
                SELECT 'raw' AS role, '%s' AS "table", (SELECT count(*) FROM %s) AS "rows"
                UNION ALL SELECT 'rejects', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'current', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'change feed', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'history', '%s', (SELECT count(*) FROM %s)""".formatted(
                spec.tables().raw(), text("raw"), spec.tables().rejects(), text("rejects"),
                spec.tables().current(), text("current"), spec.tables().changes(), text("changes"),
                spec.tables().history(), text("history")), List.of())));
        sections.add(new StatusSection("Offsets", query("""
                SELECT consumer, committed, (SELECT coalesce(max(file_id), 0) FROM changepipe.files f WHERE f.pipeline = o.pipeline)
                       - committed AS files_behind, committed_at
                FROM changepipe.offsets o WHERE pipeline = ? ORDER BY consumer""", List.of(name))));
        sections.add(new StatusSection("Load history (latest 20)", query("""
                SELECT file_id, name, status, rows_loaded, rows_rejected, first_error, ingested_at
                FROM changepipe.files WHERE pipeline = ? ORDER BY file_id DESC LIMIT 20""", List.of(name))));
        sections.add(new StatusSection("Rejects (latest 20)", query("""
                SELECT _file AS file, _line AS line, column_name AS "column", reason, raw_text
                FROM %s ORDER BY _file_id DESC, _line DESC LIMIT 20""".formatted(text("rejects")), List.of())));
        sections.add(new StatusSection("Task history (latest 20)", query("""
                SELECT task, started, ended - started AS took, rows_in, rows_out, attempt, status, error
                FROM changepipe.task_history WHERE pipeline = ? ORDER BY started DESC LIMIT 20""", List.of(name))));
        return sections;
    }

    @Override
    public void close() {
        reader.close();
        try {
            prepared.close();
            readConnection.close();
            connection.close();
            allocator.close();
        } catch (SQLException e) {
            throw ChangepipeException.external("closing warehouse " + databaseFile + " failed: " + e.getMessage(), e);
        }
    }

    // JDBC plumbing. The task connection keeps its prepared statements (PreparedStatements); the read
    // connection prepares a fresh one per statement. A statement whose execution threw is never reused.

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** An error inside a DuckDB transaction aborts it and a later commit saves nothing, so every failure rolls back. */
    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
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

    private int execute(Connection c, Sql statement, Map<String, ?> parameters) throws SQLException {
        SqlDialect.Executable executable = dialect.executable(statement, parameters);
        return execute(c, executable.text(), executable.values());
    }

    /** A piece of the engine's fragments that holds only text: a quoted name or a column list. */
    private String text(String fragment) {
        return fragments.get(fragment).plainText();
    }

    private int execute(Connection c, String sql, List<?> parameters) throws SQLException {
        if (c != connection) {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(statement, parameters);
                statement.execute();
                return Math.max(statement.getUpdateCount(), 0);
            }
        }
        try {
            PreparedStatement statement = prepared.bound(sql, parameters);
            statement.execute();
            return Math.max(statement.getUpdateCount(), 0);
        } catch (SQLException e) {
            prepared.discard(sql);
            throw e;
        }
    }

    private long queryLong(String sql, Object... parameters) throws SQLException {
        Object value = select(connection, sql, Arrays.asList(parameters)).rows().get(0).get(0);
        return ((Number) value).longValue();
    }

    /** A query on the task connection runs a kept statement; on the other connection, which runs users' queries, a fresh one. */
    private QueryResult select(Connection c, String sql, List<?> parameters) throws SQLException {
        if (c != connection) {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(statement, parameters);
                return result(statement);
            }
        }
        try {
            return result(prepared.bound(sql, parameters));
        } catch (SQLException e) {
            prepared.discard(sql);
            throw e;
        }
    }

    private static QueryResult result(PreparedStatement statement) throws SQLException {
        if (!statement.execute()) {
            return new QueryResult(List.of("count"), List.of(List.of((long) Math.max(statement.getUpdateCount(), 0))));
        }
        try (ResultSet rs = statement.getResultSet()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        }
    }

    private static void bind(PreparedStatement statement, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
