package dev.changepipe.engine;

import java.time.Instant;

/** One entry of the task history: a task run that did work, or failed. */
public record TaskRun(PipelineTask task, Instant started, Instant ended, long rowsIn, long rowsOut, int attempt,
        String status, String error) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
