package dev.changepipe.spark;

import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.scd.Scd1Plan;
import dev.changepipe.scd.Scd2Plan;
import dev.changepipe.scd.ScdPlan;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlTemplate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;

/**
 * The current and history tasks: each consumes the raw rows after its offset with one MERGE into its table,
 * and the MERGE carries the task's new offset as a Delta transaction identifier ({@code txnAppId} = the
 * task's consumer name, {@code txnVersion} = the last raw file id consumed), so data and offset commit
 * together and Delta skips a replayed range. The offset is read back from the table's log.
 */
final class SparkTasks {
    private static final SqlTemplate APPLY_CURRENT = SqlTemplate.load(SparkTasks.class, "apply_current.sql");
    private static final SqlTemplate APPLY_HISTORY = SqlTemplate.load(SparkTasks.class, "apply_history.sql");

    /** One task: what it is, its offset's name, its table and its MERGE. */
    private record Task(PipelineTask task, String consumer, String location, Sql merge, FaultPoint beforeCommit) {}

    private final PipelineTables tables;
    private final SparkLedger ledger;
    private volatile Task current;
    private volatile Task history;
    /** The offsets the tasks committed: read from a log once, then kept as this engine, their only writer, moves them. */
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

    SparkTasks(PipelineTables tables, SparkLedger ledger) {
        this.tables = tables;
        this.ledger = ledger;
        reshape();
    }

    /** Plans the tasks' MERGEs from the tables' spec: at start, and again when a file adds columns (rule 1.10). */
    void reshape() {
        this.current = new Task(PipelineTask.CURRENT, Consumers.CURRENT, tables.at().current(),
                merge(APPLY_CURRENT, Scd1Plan.of(tables.spec(), tables.dialect())), FaultPoint.CURRENT_BEFORE_COMMIT);
        this.history = new Task(PipelineTask.HISTORY, Consumers.HISTORY, tables.at().history(),
                merge(APPLY_HISTORY, Scd2Plan.of(tables.spec(), tables.dialect())), FaultPoint.HISTORY_BEFORE_COMMIT);
    }

    /** A task's one MERGE: its template with core's plan as the source of the rows to change. */
    private Sql merge(SqlTemplate template, ScdPlan plan) {
        Map<String, Sql> pieces = new HashMap<>(tables.fragments());
        pieces.put("actions", plan.asQuery());
        return template.single(pieces);
    }

    TaskResult applyCurrent() {
        return apply(current);
    }

    TaskResult applyHistory() {
        return apply(history);
    }

    private TaskResult apply(Task task) {
        return PipelineTables.failing("task " + task.task().label() + " of pipeline " + tables.pipeline(), () -> {
            long from = offset(task);
            long to = ledger.lastFileId();
            if (to <= from) {
                return TaskResult.skipped(task.task(), from);
            }
            long rowsIn = ledger.rowsLoaded(from, to);
            String statement = tables.dialect().executable(task.merge(), Map.of("from_file", from, "to_file", to)).text();
            task.beforeCommit().reached();
            Row metrics;
            try {
                metrics = tables.writeAsTransaction(txnAppId(task.consumer()), to, statement);
            } catch (RuntimeException e) {
                // A MERGE that failed may still have committed: the offset is read from the log again next time.
                offsets.remove(task.consumer());
                throw e;
            }
            long updated = metrics.getLong(metrics.fieldIndex("num_updated_rows"));
            long deleted = metrics.getLong(metrics.fieldIndex("num_deleted_rows"));
            long inserted = metrics.getLong(metrics.fieldIndex("num_inserted_rows"));
            offsets.put(task.consumer(), to);
            // The current task's rows out are its change feed rows (an update gives a pre- and a post-image);
            // the history task's are the versions it wrote.
            long rowsOut = task.task() == PipelineTask.CURRENT ? inserted + deleted + 2 * updated : inserted + updated;
            return new TaskResult(task.task(), rowsIn, rowsOut, from, to);
        });
    }

    /**
     * Derives the task's table again for every key from the raw rows up to its offset, as a spec change asks (rules
     * 1.11, 1.12): its plan over all of them, committed without a transaction identifier, so the offset stays where it
     * is. The current table's change feed gets what this changes, as one run's.
     */
    void deriveAgain(PipelineTask which) {
        Task task = which == PipelineTask.CURRENT ? current : history;
        long to = offset(task);
        if (to > 0) {
            tables.write(tables.dialect().executable(task.merge(), Map.of("from_file", 0L, "to_file", to)).text());
        }
    }

    /** Both tasks' offsets, each dated by its table's newest commit (the engine's MERGE is its only writer). */
    List<Offset> offsets() {
        return List.of(committed(current), committed(history));
    }

    private Offset committed(Task task) {
        long committed = offset(task);
        Instant at = Instant.ofEpochMilli(DeltaTransactions.lastCommitMillis(tables.session(), task.location()));
        return new Offset(task.consumer(), committed, at);
    }

    /** The last raw file id a task consumed: the transaction version its latest MERGE committed with. */
    private long offset(Task task) {
        return offsets.computeIfAbsent(task.consumer(),
                c -> DeltaTransactions.latest(tables.session(), task.location(), txnAppId(c)));
    }

    private String txnAppId(String consumer) {
        return "changepipe:" + tables.pipeline() + ":" + consumer;
    }
}
