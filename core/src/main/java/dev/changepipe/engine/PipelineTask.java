package dev.changepipe.engine;

/** The tasks of a pipeline, in the order a cycle runs them. */
public enum PipelineTask {
    /** Landing zone → raw table, rejects and the file ledger (Snowpipe's job). */
    INGEST,
    /** Raw changes → current (SCD1) table and its change feed. */
    CURRENT,
    /** Raw changes → history (SCD2) table. */
    HISTORY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The task a stored label names. */
    public static PipelineTask of(String label) {
        for (PipelineTask task : values()) {
            if (task.label().equals(label)) {
                return task;
            }
        }
        throw new IllegalArgumentException("not a task: " + label);
    }
}
