package dev.changepipe.spark;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StoredReject;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileLoad;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerPosition;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.scd.CurrentAsOf;
import dev.changepipe.scd.Scd2Plan;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out engine: a pipeline's tables are Delta tables under {@code engine.path}, changed by Spark SQL
 * in a session of the JVM's one Spark application ({@link SparkSessions}). This class wires its parts.
 *
 * <p>Delta commits one table at a time, so each operation is made exactly-once without a multi-table
 * transaction (docs/engines.md):
 * <ul>
 *   <li>a load appends raw rows and rejects first and the ledger entries last ({@link StagedLoad}): the
 *       ledger is the commit point, and what a load that did not reach it left is removed before the engine
 *       loads or runs a task again ({@link UncommittedLoads});
 *   <li>the current and history tasks each change their table with one MERGE that carries the task's offset
 *       as a Delta transaction identifier, so data and offset commit together ({@link SparkTasks});
 *   <li>a change feed consumer's offset is one MERGE into the offsets table ({@link SparkChangeFeed}).
 * </ul>
 * The task history is the exception: runs are written in groups ({@link TaskHistory#record}).
 */
final class SparkEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(SparkEngine.class);
    private static final SqlTemplate SCHEMA = SqlTemplate.load(SparkEngine.class, "schema.sql");
    private static final SqlTemplate VIEWS = SqlTemplate.load(SparkEngine.class, "views.sql");

    /** The spec with the columns files added (rule 1.10); replaced, with the reader and the load's shapes, when one does. */
    private volatile PipelineSpec spec;
    private final PipelineTables tables;
    private final SparkLedger ledger;
    private final UncommittedLoads uncommitted;
    private final SparkTasks tasks;
    private final SparkChangeFeed feed;
    private final FeedArchive feedArchive;
    private final TableMigration migration;
    private final TaskHistory taskHistory;
    private final SpecTableReads specTables;
    private volatile ChangeFileReader reader;
    private volatile LoadSchemas loadSchemas;

    SparkEngine(PipelineSpec spec, SparkSession session, String root) {
        this(spec, session, root, SparkLedger.IN_MEMORY);
    }

    /** {@code ledgerInMemory}: the longest ledger kept in memory (tests make it 0 to read every entry from Delta). */
    SparkEngine(PipelineSpec spec, SparkSession session, String root, long ledgerInMemory) {
        this.spec = spec;
        this.tables = new PipelineTables(spec, session, SparkLocations.of(root, spec));
        this.ledger = new SparkLedger(tables, ledgerInMemory);
        this.uncommitted = new UncommittedLoads(tables, ledger);
        this.tasks = new SparkTasks(tables, ledger);
        this.feedArchive = new FeedArchive(tables);
        this.migration = new TableMigration(tables, feedArchive);
        this.feed = new SparkChangeFeed(tables, feedArchive);
        this.taskHistory = new TaskHistory(tables);
        this.specTables = new SpecTableReads(tables);
        this.reader = new ChangeFileReader(spec);
        this.loadSchemas = LoadSchemas.of(spec);
    }

    @Override
    public void prepare() {
        SparkLocations at = tables.at();
        PipelineTables.failing("preparing the tables of pipeline " + spec.name(), () -> {
            // Tables made by this call are empty: nothing can be left over from a load that did not commit.
            boolean newPipeline = !DeltaTable.isDeltaTable(tables.session(), at.raw())
                    && !DeltaTable.isDeltaTable(tables.session(), at.files());
            SCHEMA.render(tables.fragments()).forEach(tables::run);
            if (!Arrays.asList(tables.schemaOf(at.raw()).fieldNames()).contains(TableColumns.RESCUED)) {
                // A raw table made before schema policies gains the column for values the spec lacks (rule 1.8).
                tables.write("ALTER TABLE " + tables.text("raw") + " ADD COLUMNS (" + TableColumns.RESCUED + " STRING)");
            }
            // Tables an earlier spec made become this spec's (rules 1.9-1.12); all is checked before the first write.
            TableMigration.Plan plan = migration.plan(spec);
            migration.rewriteRaw(plan);
            if (!plan.stored().spec().equals(spec)) {
                reshape(plan.stored().spec());
            }
            migration.completeTables(plan);
            ledger.open();
            taskHistory.open();
            feedArchive.open();
            if (newPipeline) {
                ledger.startEmpty();
                uncommitted.noneInNewTables();
            } else {
                uncommitted.removeIfAny();
                // A new history has no versions to give this spec's open end; each statement costs a Spark job.
                tables.run(Scd2Plan.openEnds(spec, tables.dialect()));
                if (migration.marked(at.current())) {
                    tasks.deriveAgain(PipelineTask.CURRENT);
                    migration.unmark("current");
                }
                if (migration.marked(at.history())) {
                    tasks.deriveAgain(PipelineTask.HISTORY);
                    migration.unmark("history");
                }
            }
            // Last: after a type was given, the change data feed has no version to read until the current table's next commit.
            createViews();
        });
    }

    /** The views users' queries read, with the spec's current columns; made again when a file adds one. */
    private void createViews() {
        VIEWS.render(tables.fragments()).forEach(tables::run);
        if (feedArchive.copied()) {
            // The view of views.sql reads the change data feed from version 0, which a widening made unreadable.
            tables.run(Sql.text("CREATE OR REPLACE TEMP VIEW " + tables.text("changes_name") + " AS SELECT _commit_version,"
                    + " _commit_timestamp, _change_type, " + tables.text("target_columns") + " FROM "
                    + feedArchive.relation(0)));
        }
    }

    private void reshape(PipelineSpec shaped) {
        tables.reshape(shaped);
        tasks.reshape();
        reader = new ChangeFileReader(shaped);
        loadSchemas = LoadSchemas.of(shaped);
        spec = shaped;
    }

    /** Adds the columns to raw, current and history, one Delta commit each, then reads and plans with them (rule 1.10). */
    @Override
    public void addColumns(List<String> columns) {
        PipelineTables.failing("adding column '" + String.join("', '", columns) + "' to the tables of pipeline "
                + spec.name(), () -> {
            reshape(spec.withAddedColumns(columns));
            migration.addMissing(columns);
            LOG.info("added column '{}' to the tables of pipeline {}, as a file's header brought it (schema.new_columns: add)",
                    String.join("', '", columns), spec.name());
            createViews();
        });
    }

    @Override
    public PipelineSpec shape() {
        return spec;
    }

    @Override
    public LedgerPosition ledgerPosition() {
        return ledger.position();
    }

    /** Writes the held task runs first: with them, a cycle's bookkeeping costs one append more, not three. */
    @Override
    public FileLoad beginLoad() {
        PipelineTables.failing("beginning a load of pipeline " + spec.name(), () -> {
            taskHistory.write();
            uncommitted.removeIfAny();
        });
        return new StagedLoad(tables, ledger, uncommitted, reader, loadSchemas);
    }

    @Override
    public TaskResult applyCurrent() {
        PipelineTables.failing("task current of pipeline " + spec.name(), uncommitted::removeIfAny);
        return tasks.applyCurrent();
    }

    @Override
    public TaskResult applyHistory() {
        PipelineTables.failing("task history of pipeline " + spec.name(), uncommitted::removeIfAny);
        return tasks.applyHistory();
    }

    @Override
    public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
        return feed.read(consumer, maxVersions);
    }

    @Override
    public void commitFeedOffset(String consumer, long version) {
        feed.commit(consumer, version);
    }

    /** Writes the held task runs, so that a quiet pipeline holds none. */
    @Override
    public void idle() {
        taskHistory.write();
    }

    /** See {@link TaskHistory#record}: the runs are written in groups, and a crash can lose the latest cycle's. */
    @Override
    public void recordTaskRun(TaskRun run) {
        taskHistory.record(run);
    }

    /**
     * Runs one read-only statement on the spec's tables (or a Delta table inside the warehouse by path). Spark has
     * no transaction to roll back, so statements that would write, change the session or read anything else (a
     * file by path, Java) are refused before they run ({@link ReadOnlyStatements}).
     */
    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        try {
            ReadOnlyStatements.check(tables.session(), tables.at().root(), sql);
            return tables.select(sql, parameters);
        } catch (ChangepipeException e) {
            throw e;
        } catch (Exception e) {
            // Spark's AnalysisException (an unknown table, a wrong column) is checked, and thrown undeclared.
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        }
    }

    @Override
    public QueryResult queryAsOf(String sql, List<Object> parameters, String asOf) {
        // Spark's dialect writes the as-of time in as a literal; the statement's own parameters are bound by query.
        SqlDialect.Executable statement = CurrentAsOf.statement(tables.spec(), tables.dialect(), sql, parameters, asOf);
        return query(statement.text(), statement.values());
    }

    @Override
    public ArrowReader queryArrow(String sql, BufferAllocator allocator) {
        try {
            ReadOnlyStatements.check(tables.session(), tables.at().root(), sql);
            return tables.selectArrow(sql, allocator);
        } catch (ChangepipeException e) {
            throw e;
        } catch (Exception e) {
            // As for query: Spark's AnalysisException is checked and thrown undeclared.
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        }
    }

    @Override
    public List<LedgerEntry> ledger(LedgerQuery query) {
        return PipelineTables.failing("reading the ledger of pipeline " + spec.name(), () -> ledger.entries(query));
    }

    /** The tasks' offsets from their tables' Delta logs and the feed consumers' from the offsets table, by name. */
    @Override
    public List<Offset> offsets() {
        return PipelineTables.failing("reading the offsets of pipeline " + spec.name(), () -> {
            List<Offset> offsets = new ArrayList<>(tasks.offsets());
            offsets.addAll(feed.offsets());
            offsets.sort(Comparator.comparing(Offset::consumer));
            return offsets;
        });
    }

    @Override
    public List<TaskRun> taskHistory(int limit) {
        return PipelineTables.failing("reading the task history of pipeline " + spec.name(), () -> taskHistory.latest(limit));
    }

    @Override
    public TableCounts rowCounts() {
        return PipelineTables.failing("counting the rows of pipeline " + spec.name(), specTables::rowCounts);
    }

    @Override
    public List<StoredReject> rejects(int limit) {
        return PipelineTables.failing("reading the rejects of pipeline " + spec.name(), () -> specTables.rejects(limit));
    }

    @Override
    public void close() {
        taskHistory.write();
    }
}
