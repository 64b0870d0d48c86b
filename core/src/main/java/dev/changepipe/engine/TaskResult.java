package dev.changepipe.engine;

/**
 * What one run of a task did. {@code fromOffset}/{@code toOffset} are the raw table's file ids the
 * task consumed: (from, to]. A task with no new input returns {@link #skipped}.
 */
public record TaskResult(PipelineTask task, long rowsIn, long rowsOut, long fromOffset, long toOffset) {
    public static TaskResult skipped(PipelineTask task, long offset) {
        return new TaskResult(task, 0, 0, offset, offset);
    }

    public boolean isSkipped() {
        return fromOffset == toOffset;
    }
}
