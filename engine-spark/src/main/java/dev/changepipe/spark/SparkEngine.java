package dev.changepipe.spark;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.ReadSummary;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.csv.RowSink;
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
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.Ledger;
import dev.changepipe.ledger.LedgerBatch;
import dev.changepipe.scd.Scd1Plan;
import dev.changepipe.scd.Scd2Plan;
import dev.changepipe.scd.ScdPlan;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.SparkDialect;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlTemplate;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out engine: a pipeline's tables are Delta tables under {@code engine.path}, changed by
 * Spark SQL in a session of the JVM's one Spark application ({@link SparkSessions}).
 *
 * <p>Delta commits one table at a time, so each operation is made exactly-once without a
 * multi-table transaction (docs/engines.md):
 * <ul>
 *   <li>a load appends raw rows and rejects first and the ledger entries last: the ledger is the
 *       commit point, and raw rows or rejects of file ids the ledger does not hold (left by a crash
 *       between the appends) are deleted before anything reads or loads again;
 *   <li>the current and history tasks each change their table with one MERGE that carries the task's
 *       offset as a Delta transaction identifier ({@code txnAppId}, {@code txnVersion} = last raw file
 *       id consumed), so data and offset commit together; the offset is read back from the table's log;
 *   <li>a change feed consumer's offset is one MERGE into the offsets table.
 * </ul>
 */
final class SparkEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);
    private static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";
    private static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";
    /** Up to this many ledger entries (a few hundred bytes each) are kept in memory. */
    private static final long LEDGER_IN_MEMORY = 100_000;

    private static final SqlTemplate SCHEMA = SqlTemplate.load(SparkEngine.class, "schema.sql");
    private static final SqlTemplate VIEWS = SqlTemplate.load(SparkEngine.class, "views.sql");
    private static final SqlTemplate APPLY_CURRENT = SqlTemplate.load(SparkEngine.class, "apply_current.sql");
    private static final SqlTemplate APPLY_HISTORY = SqlTemplate.load(SparkEngine.class, "apply_history.sql");

    private final PipelineSpec spec;
    private final SparkSession session;
    private final SparkLocations at;
    private final SparkDialect dialect;
    private final Map<String, Sql> fragments;
    private final Sql currentMerge;
    private final Sql historyMerge;
    private final ChangeFileReader reader;
    private final StructType rawSchema;
    private final StructType rejectsSchema;
    private final ColumnType[] columnTypes;
    private StructType filesSchema;
    private StructType taskHistorySchema;
    /*
     * What this engine knows without asking Spark: it is the only writer of its pipeline's tables (the
     * command line lets one process hold a warehouse), so the ledger's last file id and ingestion time,
     * the tasks' offsets and the rows of the files it loaded are read once and then kept up to date.
     */
    private volatile long lastFileId;
    private Instant lastIngestedAt;
    private final Map<String, Long> taskOffsets = new HashMap<>();
    /** Rows loaded per file id, for the files after {@link #rowsKnownAfter}; earlier ranges are asked of the ledger. */
    private final TreeMap<Long, Long> rowsLoaded = new TreeMap<>();
    private long rowsKnownAfter;
    /** Task runs not yet appended: written with the next operation's first write, so a cycle costs one append, not three. */
    private final List<TaskRun> pendingRuns = new ArrayList<>();
    /** Whether raw rows or rejects of a load the ledger does not hold may exist: at start, and after a failed load. */
    private boolean mayHoldUncommittedLoad = true;
    /**
     * The ledger's entries of this pipeline by name (vanished ones left out), when it holds at most
     * {@link #LEDGER_IN_MEMORY} entries: a load then asks Spark nothing about earlier files. Null for a
     * longer ledger, which is asked per load.
     */
    private Map<String, List<KnownFile>> knownFiles;

    SparkEngine(PipelineSpec spec, SparkSession session, String root) {
        this.spec = spec;
        this.session = session;
        this.at = SparkLocations.of(root, spec);
        this.dialect = SparkSchema.dialect(at);
        this.fragments = SparkSchema.fragments(spec, at, dialect);
        this.currentMerge = merge(APPLY_CURRENT, Scd1Plan.of(spec, dialect));
        this.historyMerge = merge(APPLY_HISTORY, Scd2Plan.of(spec, dialect));
        this.reader = new ChangeFileReader(spec);
        this.columnTypes = spec.columns().values().toArray(ColumnType[]::new);
        List<StructField> raw = new ArrayList<>();
        spec.columns().forEach((c, t) -> raw.add(DataTypes.createStructField(c, SparkSchema.dataType(t), true)));
        raw.add(DataTypes.createStructField("_file_id", DataTypes.LongType, false));
        raw.add(DataTypes.createStructField("_file", DataTypes.StringType, false));
        raw.add(DataTypes.createStructField("_line", DataTypes.LongType, false));
        raw.add(DataTypes.createStructField("_ingested_at", DataTypes.TimestampType, false));
        this.rawSchema = DataTypes.createStructType(raw);
        this.rejectsSchema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("_file_id", DataTypes.LongType, false),
                DataTypes.createStructField("_file", DataTypes.StringType, false),
                DataTypes.createStructField("_line", DataTypes.LongType, true),
                DataTypes.createStructField("_ingested_at", DataTypes.TimestampType, false),
                DataTypes.createStructField("column_name", DataTypes.StringType, true),
                DataTypes.createStructField("reason", DataTypes.StringType, false),
                DataTypes.createStructField("raw_text", DataTypes.StringType, true)));
    }

    @Override
    public void prepare() {
        try {
            // Tables made by this call are empty: nothing can be left over from a load that did not commit.
            boolean newPipeline = !DeltaTable.isDeltaTable(session, at.raw()) && !DeltaTable.isDeltaTable(session, at.files());
            for (Sql statement : SCHEMA.render(fragments)) {
                sql(statement, Map.of());
            }
            checkColumns(spec.tables().raw(), at.raw(), TableColumns.raw(spec, dialect));
            filesSchema = session.read().format("delta").load(at.files()).schema();
            if (!Arrays.asList(filesSchema.fieldNames()).contains("etag")) {
                // A ledger made before it kept the ETag of an object from a bucket.
                session.sql("ALTER TABLE " + text("files") + " ADD COLUMNS (etag STRING)");
                filesSchema = session.read().format("delta").load(at.files()).schema();
            }
            taskHistorySchema = session.read().format("delta").load(at.taskHistory()).schema();
            checkColumns(spec.tables().current(), at.current(), TableColumns.current(spec, dialect));
            checkColumns(spec.tables().history(), at.history(), TableColumns.history(spec, dialect));
            for (Sql statement : VIEWS.render(fragments)) {
                sql(statement, Map.of());
            }
            if (newPipeline) {
                mayHoldUncommittedLoad = false;
                knownFiles = new HashMap<>();
            } else {
                removeUncommittedLoad();
            }
        } catch (RuntimeException e) {
            throw rethrow("cannot prepare the tables of pipeline " + spec.name(), e);
        }
    }

    /** A table made by an earlier spec must have the columns this spec needs; nothing is altered silently. */
    private void checkColumns(String table, String location, Map<String, String> expected) {
        TableColumns.check(table, at.root(), SparkSchema.typeNames(session.read().format("delta").load(location).schema()),
                expected);
    }

    /** A task's one MERGE: its template with core's plan as the source of the rows to change. */
    private Sql merge(SqlTemplate template, ScdPlan plan) {
        Map<String, Sql> pieces = new HashMap<>(fragments);
        pieces.put("actions", plan.asQuery());
        return template.single(pieces);
    }

    /**
     * Reads the ledger's last file id and ingestion time, and deletes raw rows and rejects of file ids
     * the ledger does not hold: what a load that did not commit left.
     */
    private void removeUncommittedLoad() {
        if (!mayHoldUncommittedLoad) {
            return;
        }
        List<Object> state = firstRow("""
                SELECT (SELECT coalesce(max(file_id), 0) FROM %s WHERE pipeline = ?),
                       (SELECT max(ingested_at) FROM %s WHERE pipeline = ?),
                       (SELECT max(_file_id) FROM %s),
                       (SELECT max(_file_id) FROM %s)""".formatted(text("files"), text("files"),
                text("raw"), text("rejects")), spec.name(), spec.name());
        lastFileId = ((Number) state.get(0)).longValue();
        lastIngestedAt = state.get(1) == null ? null : ((OffsetDateTime) state.get(1)).toInstant();
        rowsLoaded.clear();
        rowsKnownAfter = lastFileId;
        // File ids count the pipeline's ledger entries.
        knownFiles = lastFileId <= LEDGER_IN_MEMORY ? knownFiles(null) : null;
        for (int i = 2; i < 4; i++) {
            if (state.get(i) != null && ((Number) state.get(i)).longValue() > lastFileId) {
                String table = text(i == 2 ? "raw" : "rejects");
                LOG.warn("removing rows of file ids after {} from {}: a load that did not commit left them", lastFileId,
                        table);
                session.sql("DELETE FROM " + table + " WHERE _file_id > " + lastFileId);
            }
        }
        mayHoldUncommittedLoad = false;
    }

    // Loading.

    @Override
    public List<FileOutcome> load(List<LandedFile> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        try {
            flushTaskRuns();
            removeUncommittedLoad();
            LedgerBatch batch = new LedgerBatch(lastFileId, lastIngestedAt, Clock.systemUTC());
            Map<String, List<KnownFile>> earlier = knownFiles != null ? knownFiles : knownFiles(files);
            Staging staging = new Staging();
            List<FileOutcome> outcomes = new ArrayList<>();
            for (LandedFile file : files) {
                outcomes.add(batch.account(file, earlier.getOrDefault(file.name(), List.of()), staging));
            }
            if (!batch.isEmpty()) {
                mayHoldUncommittedLoad = true;
                Map<Long, LedgerBatch.Entry> entries = new HashMap<>();
                batch.entries().forEach(e -> entries.put(e.fileId(), e));
                append(at.raw(), staging.rows(entries), rawSchema);
                FaultPoint.RAW_APPENDED.reached();
                append(at.rejects(), staging.rejects(entries), rejectsSchema);
                FaultPoint.LOAD_BEFORE_COMMIT.reached();
                append(at.files(), ledgerRows(batch.entries()), filesSchema);
                mayHoldUncommittedLoad = false;
                for (LedgerBatch.Entry entry : batch.entries()) {
                    rowsLoaded.put(entry.fileId(), entry.loaded());
                    lastFileId = entry.fileId();
                    lastIngestedAt = entry.ingestedAt();
                    if (knownFiles != null && !entry.status().equals("vanished")) {
                        knownFiles.computeIfAbsent(entry.file().name(), n -> new ArrayList<>()).add(new KnownFile(
                                entry.fileId(), entry.file().size(), Ledger.micros(entry.file().lastModified()),
                                entry.status(), entry.file().contentHash()));
                    }
                }
                if (knownFiles != null && lastFileId > LEDGER_IN_MEMORY) {
                    knownFiles = null;
                }
            }
            return outcomes;
        } catch (RuntimeException e) {
            throw rethrow("loading " + files.get(0).name() + (files.size() > 1 ? " and " + (files.size() - 1)
                    + " more files" : ""), e);
        } catch (Exception e) {
            throw ChangepipeException.external("loading " + files.get(0).name() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The ledger's entries of the files' names (of every name when {@code files} is null), by name, in
     * file id order, vanished ones left out: one query.
     */
    private Map<String, List<KnownFile>> knownFiles(List<LandedFile> files) {
        String names = "";
        if (files != null) {
            List<Row> rows = files.stream().map(f -> RowFactory.create(f.name())).distinct().toList();
            session.createDataFrame(rows, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("name", DataTypes.StringType, false)))).createOrReplaceTempView("cp_batch_names");
            names = " AND name IN (SELECT name FROM cp_batch_names)";
        }
        Map<String, List<KnownFile>> byName = new HashMap<>();
        for (List<Object> row : select("""
                SELECT file_id, size, last_modified, status, content_hash, name FROM %s
                WHERE pipeline = ? AND status <> 'vanished'%s
                ORDER BY file_id""".formatted(text("files"), names), List.of(spec.name())).rows()) {
            byName.computeIfAbsent((String) row.get(5), n -> new ArrayList<>()).add(new KnownFile(
                    ((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue(),
                    ((OffsetDateTime) row.get(2)).toInstant(), (String) row.get(3), (String) row.get(4)));
        }
        return byName;
    }

    /** The rows and rejects of a load's files, held in memory until the ledger has given them names and times. */
    private final class Staging implements FileStaging {
        private record StagedRow(long fileId, long line, Object[] values) {}

        private record Rejected(long fileId, RejectedRow row) {}

        private final List<StagedRow> rows = new ArrayList<>();
        private final List<Rejected> rejects = new ArrayList<>();

        @Override
        public FileStaging.Staged stage(LandedFile file, long fileId) throws IOException {
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
                return new FileStaging.Staged.Read(summary);
            } catch (FileRefusedException e) {
                return new FileStaging.Staged.Refused(e.getMessage());
            } catch (NoSuchFileException e) {
                return new FileStaging.Staged.Vanished();
            }
        }

        @Override
        public void unstage(long fileId) {
            rows.removeIf(r -> r.fileId() == fileId);
            rejects.removeIf(r -> r.fileId() == fileId);
        }

        List<Row> rows(Map<Long, LedgerBatch.Entry> entries) {
            List<Row> result = new ArrayList<>(rows.size());
            for (StagedRow row : rows) {
                LedgerBatch.Entry entry = entries.get(row.fileId());
                Object[] values = Arrays.copyOf(row.values(), row.values().length + 4);
                for (int i = 0; i < columnTypes.length; i++) {
                    values[i] = toSpark(values[i]);
                }
                values[columnTypes.length] = row.fileId();
                values[columnTypes.length + 1] = entry.file().name();
                values[columnTypes.length + 2] = row.line();
                values[columnTypes.length + 3] = entry.ingestedAt();
                result.add(RowFactory.create(values));
            }
            return result;
        }

        List<Row> rejects(Map<Long, LedgerBatch.Entry> entries) {
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

    /** The session reads and writes instants (java8API); the CSV reader gives timestamptz values with an offset. */
    private static Object toSpark(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : value;
    }

    private List<Row> ledgerRows(List<LedgerBatch.Entry> entries) {
        List<Row> rows = new ArrayList<>();
        for (LedgerBatch.Entry e : entries) {
            rows.add(RowFactory.create(spec.name(), e.fileId(), e.file().name(), e.file().location(), e.file().size(),
                    e.file().contentHash(), Ledger.micros(e.file().lastModified()), e.status(),
                    e.loaded(), e.rejected(), e.firstError(), e.ingestedAt(), e.version(), e.originalFileId(),
                    e.file().etag()));
        }
        return rows;
    }

    private void append(String location, List<Row> rows, StructType schema) {
        if (!rows.isEmpty()) {
            session.createDataFrame(rows, schema).write().format("delta").mode("append").save(location);
        }
    }

    // Tasks.

    @Override
    public TaskResult applyCurrent() {
        return applyTask(PipelineTask.CURRENT, Consumers.CURRENT, at.current(), currentMerge,
                FaultPoint.CURRENT_BEFORE_COMMIT);
    }

    @Override
    public TaskResult applyHistory() {
        return applyTask(PipelineTask.HISTORY, Consumers.HISTORY, at.history(), historyMerge,
                FaultPoint.HISTORY_BEFORE_COMMIT);
    }

    /**
     * Consumes the raw rows after the task's offset with one MERGE into its table that records the new
     * offset in the same Delta commit. Delta skips a write whose transaction version it has seen, so a
     * replay after a crash can never apply a range twice.
     */
    private TaskResult applyTask(PipelineTask task, String consumer, String location, Sql merge,
            FaultPoint beforeCommit) {
        try {
            long from = taskOffset(consumer, location);
            long to = lastFileId;
            if (to <= from) {
                return TaskResult.skipped(task, from);
            }
            long rowsIn = rowsLoaded(from, to);
            String statement = dialect.executable(merge, Map.of("from_file", from, "to_file", to)).text();
            beforeCommit.reached();
            Row metrics;
            // The transaction settings are the session's, not the thread's: holding the lock that task history
            // is appended under keeps a query thread's append from being marked (and maybe skipped) with them.
            synchronized (this) {
                session.conf().set(TXN_APP_ID, txnAppId(consumer));
                session.conf().set(TXN_VERSION, Long.toString(to));
                try {
                    metrics = session.sql(statement).first();
                } finally {
                    // Left set, they would mark (and could skip) every later write of the session.
                    session.conf().unset(TXN_APP_ID);
                    session.conf().unset(TXN_VERSION);
                }
            }
            long updated = metrics.getLong(metrics.fieldIndex("num_updated_rows"));
            long deleted = metrics.getLong(metrics.fieldIndex("num_deleted_rows"));
            long inserted = metrics.getLong(metrics.fieldIndex("num_inserted_rows"));
            // The current task's rows out are its change feed rows (an update gives a pre- and a post-image);
            // the history task's are the versions it wrote.
            long rowsOut = task == PipelineTask.CURRENT ? inserted + deleted + 2 * updated : inserted + updated;
            taskOffsets.put(consumer, to);
            return new TaskResult(task, rowsIn, rowsOut, from, to);
        } catch (RuntimeException e) {
            throw rethrow("task " + task.label() + " of pipeline " + spec.name(), e);
        }
    }

    private String txnAppId(String consumer) {
        return "changepipe:" + spec.name() + ":" + consumer;
    }

    /** The last raw file id a task consumed: the transaction version its latest MERGE committed with. */
    private long taskOffset(String consumer, String location) {
        return taskOffsets.computeIfAbsent(consumer, c -> DeltaTransactions.latest(session, location, txnAppId(c)));
    }

    /** The raw rows of file ids (from, to]. */
    private long rowsLoaded(long from, long to) {
        long rows = 0;
        if (from < rowsKnownAfter) {
            rows += ((Number) firstValue("SELECT coalesce(sum(rows_loaded), 0) FROM " + text("files")
                    + " WHERE pipeline = ? AND file_id > ? AND file_id <= ?", spec.name(), from,
                    Math.min(to, rowsKnownAfter))).longValue();
        }
        for (long loaded : rowsLoaded.subMap(Math.max(from, rowsKnownAfter), false, to, true).values()) {
            rows += loaded;
        }
        return rows;
    }

    // The change feed.

    @Override
    public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
        String offsetName = Consumers.feed(consumer);
        try {
            long since = feedOffset(offsetName);
            if (since >= DeltaTransactions.tableVersion(session, at.current())) {
                return new ChangeFeedBatch(consumer, since, since, List.of());
            }
            String changes = "table_changes_by_path(" + text("current_location") + ", " + (since + 1) + ")";
            Object lastVersion = firstValue("""
                    SELECT max(_commit_version) FROM (
                        SELECT DISTINCT _commit_version FROM %s ORDER BY _commit_version LIMIT %d)"""
                    .formatted(changes, maxVersions));
            long last = lastVersion == null ? since : ((Number) lastVersion).longValue();
            List<FeedChange> feed = new ArrayList<>();
            for (List<Object> row : select("""
                    SELECT _commit_version, _change_type, %s FROM %s
                    WHERE _commit_version <= ?
                    ORDER BY _commit_version, %s, CASE _change_type WHEN 'update_preimage' THEN 0 ELSE 1 END"""
                    .formatted(text("target_columns"), changes, text("keys")), List.of(last)).rows()) {
                feed.add(FeedChange.of(spec.targetColumns(), row));
            }
            return new ChangeFeedBatch(consumer, since, last, feed);
        } catch (RuntimeException e) {
            throw rethrow("reading the change feed of " + spec.tables().current(), e);
        }
    }

    @Override
    public void commitFeedOffset(String consumer, long version) {
        String offsetName = Consumers.feed(consumer);
        long latest = DeltaTransactions.tableVersion(session, at.current());
        if (version > latest) {
            throw ChangepipeException.user("cannot commit version " + version + " for consumer " + consumer
                    + ": the change feed ends at version " + latest);
        }
        // One MERGE, one commit; the condition keeps an offset from moving backwards. Under the engine's lock,
        // as a task's MERGE sets the session's transaction settings under it.
        synchronized (this) {
            try {
                select("""
                        MERGE INTO %s o
                        USING (SELECT ? AS pipeline, ? AS consumer, ? AS committed, current_timestamp() AS committed_at) n
                        ON o.pipeline = n.pipeline AND o.consumer = n.consumer
                        WHEN MATCHED AND n.committed > o.committed THEN UPDATE SET *
                        WHEN NOT MATCHED THEN INSERT *""".formatted(text("offsets")),
                        List.of(spec.name(), offsetName, version));
            } catch (RuntimeException e) {
                throw rethrow("committing the offset of " + consumer, e);
            }
        }
    }

    private long feedOffset(String offsetName) {
        Object committed = firstValue("SELECT max(committed) FROM " + text("offsets")
                + " WHERE pipeline = ? AND consumer = ?", spec.name(), offsetName);
        return committed == null ? 0 : ((Number) committed).longValue();
    }

    // Bookkeeping, queries and status.

    @Override
    public synchronized void recordTaskRun(TaskRun run) {
        pendingRuns.add(run);
        if (run.status().equals(TaskRun.FAILED)) {
            flushTaskRuns();
        }
    }

    private synchronized void flushTaskRuns() {
        if (pendingRuns.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (TaskRun run : pendingRuns) {
            rows.add(RowFactory.create(spec.name(), run.task().label(), run.started(), run.ended(), run.rowsIn(),
                    run.rowsOut(), run.attempt(), run.status(), run.error()));
        }
        try {
            append(at.taskHistory(), rows, taskHistorySchema);
            pendingRuns.clear();
        } catch (RuntimeException e) {
            LOG.warn("cannot write the task history: {}", ChangepipeException.firstLine(e.getMessage()));
        }
    }

    /**
     * Runs one read-only statement. Spark has no transaction to roll back, so statements that would
     * write (or change the session) are refused before they run.
     */
    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        try {
            ReadOnlyStatements.check(session, sql);
            flushTaskRuns();
            if (!SparkCatalogNames.mayName(sql)) {
                return select(sql, parameters);
            }
            return SparkCatalogNames.whileBound(session, at, () -> select(sql, parameters));
        } catch (ChangepipeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        }
    }

    @Override
    public List<StatusSection> status() {
        List<StatusSection> sections = new ArrayList<>();
        sections.add(new StatusSection("Tables", query("""
                SELECT 'raw' AS role, '%s' AS "table", (SELECT count(*) FROM %s) AS "rows"
                UNION ALL SELECT 'rejects', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'current', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'change feed', '%s', (SELECT count(*) FROM %s)
                UNION ALL SELECT 'history', '%s', (SELECT count(*) FROM %s)""".formatted(
                spec.tables().raw(), text("raw_name"), spec.tables().rejects(), text("rejects_name"),
                spec.tables().current(), text("current_name"), spec.tables().changes(),
                text("changes_name"), spec.tables().history(), text("history_name")), List.of())));
        sections.add(new StatusSection("Offsets", offsets()));
        sections.add(new StatusSection("Load history (latest 20)", query("""
                SELECT file_id, name, status, rows_loaded, rows_rejected, first_error, ingested_at
                FROM %s WHERE pipeline = ? ORDER BY file_id DESC LIMIT 20""".formatted(text("files")),
                List.of(spec.name()))));
        sections.add(new StatusSection("Rejects (latest 20)", query("""
                SELECT _file AS file, _line AS line, column_name AS "column", reason, raw_text
                FROM %s ORDER BY _file_id DESC, _line DESC LIMIT 20""".formatted(text("rejects_name")),
                List.of())));
        sections.add(new StatusSection("Task history (latest 20)", query("""
                SELECT task, started, ended - started AS took, rows_in, rows_out, attempt, status, error
                FROM %s WHERE pipeline = ? ORDER BY started DESC LIMIT 20""".formatted(text("task_history")),
                List.of(spec.name()))));
        return sections;
    }

    /** The tasks' offsets from their tables' logs and the feed consumers' from the offsets table. */
    private QueryResult offsets() {
        long lastFile = lastFileId;
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, String> task : Map.of(Consumers.CURRENT, at.current(), Consumers.HISTORY, at.history())
                .entrySet()) {
            long committed = DeltaTransactions.latest(session, task.getValue(), txnAppId(task.getKey()));
            rows.add(Arrays.asList(task.getKey(), committed, lastFile - committed, Instant.ofEpochMilli(
                    DeltaTransactions.lastCommitMillis(session, task.getValue())).atOffset(ZoneOffset.UTC)));
        }
        rows.addAll(select("SELECT consumer, committed, CAST(NULL AS BIGINT), committed_at FROM " + text("offsets")
                + " WHERE pipeline = ?", List.of(spec.name())).rows());
        rows.sort((a, b) -> ((String) a.get(0)).compareTo((String) b.get(0)));
        return new QueryResult(List.of("consumer", "committed", "files_behind", "committed_at"), rows);
    }

    @Override
    public void close() {
        flushTaskRuns();
        session.catalog().dropTempView("cp_batch_names");
        SparkCatalogNames.release(at);
    }

    // Spark plumbing.

    private QueryResult select(String sql, List<?> parameters) {
        Dataset<Row> result = session.sql(SparkDialect.inline(sql, parameters));
        List<String> columns = Arrays.asList(result.columns());
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : result.collectAsList()) {
            List<Object> values = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                values.add(fromSpark(row.get(i)));
            }
            rows.add(values);
        }
        return new QueryResult(columns, rows);
    }

    /** Values as the embedded engine returns them: an instant is an {@link OffsetDateTime} in UTC. */
    private static Object fromSpark(Object value) {
        if (value instanceof Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof BigDecimal || value == null || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof java.time.temporal.Temporal) {
            return value;
        }
        return value.toString();
    }

    private void sql(Sql statement, Map<String, ?> parameters) {
        session.sql(dialect.executable(statement, parameters).text());
    }

    /** A piece of the engine's fragments that holds only text: a table reference or a column list. */
    private String text(String fragment) {
        return fragments.get(fragment).plainText();
    }

    private List<Object> firstRow(String sql, Object... parameters) {
        return select(sql, Arrays.asList(parameters)).rows().get(0);
    }

    private Object firstValue(String sql, Object... parameters) {
        return firstRow(sql, parameters).get(0);
    }

    private ChangepipeException rethrow(String what, RuntimeException e) {
        if (e instanceof ChangepipeException c) {
            return c;
        }
        return ChangepipeException.external(what + " failed: " + ChangepipeException.firstLine(e.getMessage()), e);
    }
}
