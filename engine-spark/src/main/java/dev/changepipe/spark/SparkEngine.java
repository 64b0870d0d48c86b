package dev.changepipe.spark;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Offset;
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
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import dev.changepipe.sql.SqlTemplate;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
            List<String> added = TableColumns.addedColumns(SparkSchema.typeNames(tables.schemaOf(at.raw())));
            if (!added.isEmpty()) {
                // A crash between the tables' ALTERs leaves raw, which is altered first, with columns others lack.
                addMissing(added);
                reshape(spec.withAddedColumns(added));
            }
            widen(Map.of("raw", checkColumns(spec.tables().raw(), at.raw(), TableColumns.raw(spec, tables.dialect())),
                    "current", checkColumns(spec.tables().current(), at.current(), TableColumns.current(spec, tables.dialect())),
                    "history", checkColumns(spec.tables().history(), at.history(), TableColumns.history(spec, tables.dialect()))));
            ledger.open();
            taskHistory.open();
            feedArchive.open();
            createViews();
            if (newPipeline) {
                ledger.startEmpty();
                uncommitted.noneInNewTables();
            } else {
                uncommitted.removeIfAny();
                // A new history has no versions to give this spec's open end; each statement costs a Spark job.
                tables.run(Scd2Plan.openEnds(spec, tables.dialect()));
            }
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

    /** Adds each of {@code columns} that a table lacks: raw first, the record of what files added, then current and history. */
    private void addMissing(List<String> columns) {
        SparkLocations at = tables.at();
        for (Map.Entry<String, String> table : List.of(Map.entry("raw", at.raw()), Map.entry("current", at.current()),
                Map.entry("history", at.history()))) {
            String fragment = table.getKey();
            String location = table.getValue();
            List<String> have = Arrays.stream(tables.schemaOf(location).fieldNames()).map(Identifier::fold).toList();
            List<String> lacking = columns.stream().filter(c -> !have.contains(Identifier.fold(c))).toList();
            if (!lacking.isEmpty()) {
                tables.write("ALTER TABLE " + tables.text(fragment) + " ADD COLUMNS (" + String.join(", ",
                        lacking.stream().map(c -> tables.dialect().quote(c) + " STRING").toList()) + ")");
            }
        }
    }

    /** Adds the columns to raw, current and history, one Delta commit each, then reads and plans with them (rule 1.10). */
    @Override
    public void addColumns(List<String> columns) {
        PipelineTables.failing("adding column '" + String.join("', '", columns) + "' to the tables of pipeline "
                + spec.name(), () -> {
            addMissing(columns);
            LOG.info("added column '{}' to the tables of pipeline {}, as a file's header brought it (schema.new_columns: add)",
                    String.join("', '", columns), spec.name());
            reshape(spec.withAddedColumns(columns));
            createViews();
        });
    }

    @Override
    public PipelineSpec shape() {
        return spec;
    }

    /** A table made by an earlier spec must have the columns this spec needs; nothing is altered silently. */
    private List<TableColumns.Widening> checkColumns(String table, String location, Map<String, String> expected) {
        return TableColumns.check(table, tables.at().root(), SparkSchema.typeNames(tables.schemaOf(location)), expected,
                tables.dialect());
    }

    /**
     * Widens the columns whose type the spec widened (rule 1.9) with Delta's type widening, which changes the table's
     * schema without rewriting its files; by the fragment that names each table. Each table is its own commit: a crash
     * between two leaves some widened, and the next start widens the rest. The current table's change feed so far is
     * copied first ({@link FeedArchive}), since its change data feed cannot be read across the change.
     */
    private void widen(Map<String, List<TableColumns.Widening>> byTable) {
        byTable.forEach((fragment, widenings) -> {
            if (widenings.isEmpty()) {
                return;
            }
            tables.write("ALTER TABLE " + tables.text(fragment) + " SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
            if (fragment.equals("current")) {
                feedArchive.copyBeforeWidening();
            }
            for (TableColumns.Widening w : widenings) {
                LOG.info("widening column {} of table {} to {}, as the spec now types it", w.column(), w.table(), w.typeName());
                tables.write("ALTER TABLE " + tables.text(fragment) + " CHANGE COLUMN " + tables.dialect().quote(w.column())
                        + " TYPE " + w.typeName());
            }
        });
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
