package dev.changepipe.engine;

import dev.changepipe.csv.CheckCounts;
import java.time.Instant;

/**
 * One entry of the task history: a task run that did work, or failed. {@code checks}: for an ingest run, the rows
 * of its files that failed each quality check (the ledger keeps them per file, exactly; this is a run's view).
 */
public record TaskRun(PipelineTask task, Instant started, Instant ended, long rowsIn, long rowsOut, int attempt,
        String status, String error, CheckCounts checks) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public TaskRun {
        checks = checks == null ? CheckCounts.NONE : checks;
    }

    public TaskRun(PipelineTask task, Instant started, Instant ended, long rowsIn, long rowsOut, int attempt,
            String status, String error) {
        this(task, started, ended, rowsIn, rowsOut, attempt, status, error, CheckCounts.NONE);
    }
}
