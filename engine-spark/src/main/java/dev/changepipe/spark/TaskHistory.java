package dev.changepipe.spark;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's entries in the warehouse's task history ({@code _changepipe/task_history}). Each Delta
 * append is a commit that costs about as much as a small load's, so runs are held and written together:
 * a cycle's three runs cost one append, not three. See {@link #record} for when they are written and what
 * a crash can lose.
 */
final class TaskHistory {
    private static final Logger LOG = LoggerFactory.getLogger(TaskHistory.class);

    private final PipelineTables tables;
    private StructType schema;
    /** Runs recorded and not yet written, oldest first. */
    private final List<TaskRun> pending = new ArrayList<>();

    TaskHistory(PipelineTables tables) {
        this.tables = tables;
    }

    /** Reads the table's columns once its schema is created, adding one that a history made by an older version lacks. */
    void open() {
        schema = tables.schemaOf(tables.at().taskHistory());
        if (!Arrays.asList(schema.fieldNames()).contains("check_failures")) {
            // A history made before quality checks: an ingest run's rows that failed each check, as JSON text.
            tables.write("ALTER TABLE " + tables.text("task_history") + " ADD COLUMNS (check_failures STRING)");
            schema = tables.schemaOf(tables.at().taskHistory());
        }
    }

    /**
     * Holds {@code run} and writes it with the next write of the task history: before the engine's next load
     * appends anything, when the engine is idle or closed, and when the history is read; a failed run is
     * written at once. Unlike the engine's other changes, a run is therefore not committed when this
     * returns: a crash loses the successful runs recorded since the last write, that is those of the latest
     * cycle that did work (whose data is committed), and no failed run. A write that fails is logged and its
     * runs are kept for the next one.
     */
    synchronized void record(TaskRun run) {
        pending.add(run);
        if (run.status().equals(TaskRun.FAILED)) {
            write();
        }
    }

    /**
     * Appends the held runs. A failure to write them is logged and they are kept for the next write: the
     * history of a run must not fail the work it describes.
     */
    synchronized void write() {
        if (pending.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(pending.size());
        for (TaskRun run : pending) {
            rows.add(RowFactory.create(tables.pipeline(), run.task().label(), run.started(), run.ended(), run.rowsIn(),
                    run.rowsOut(), run.attempt(), run.status(), run.error(), run.checks().toJson()));
        }
        try {
            tables.append(tables.at().taskHistory(), rows, schema);
            pending.clear();
        } catch (Exception e) {
            LOG.warn("cannot write the task history: {}", ChangepipeException.firstLine(e.getMessage()));
        }
    }

    /** The latest {@code limit} runs, newest first; the held runs are written first, so that they are among them. */
    List<TaskRun> latest(int limit) {
        write();
        if (limit <= 0) {
            return List.of();
        }
        List<TaskRun> runs = new ArrayList<>();
        for (Row row : tables.rows("""
                SELECT task, started, ended, rows_in, rows_out, attempt, status, error, check_failures FROM %s
                WHERE pipeline = ? ORDER BY started DESC, ended DESC LIMIT ?""".formatted(tables.text("task_history")),
                tables.pipeline(), limit)) {
            runs.add(new TaskRun(PipelineTask.of(row.getString(0)), (Instant) row.get(1), (Instant) row.get(2),
                    row.getLong(3), row.getLong(4), row.getInt(5), row.getString(6), row.getString(7),
                    CheckCounts.fromJson(row.getString(8))));
        }
        return runs;
    }
}
