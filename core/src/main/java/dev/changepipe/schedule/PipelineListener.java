package dev.changepipe.schedule;

import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;

/** Observes a running pipeline (progress displays, tests). Called on the pipeline's thread; keep it quick. */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    default void fileProcessed(LandedFile file, FileOutcome outcome) {}

    default void taskFinished(TaskRun run) {}

    /**
     * A current or history run committed: {@code result} names the raw file ids it consumed, so an observer knows
     * the task's offset without reading it back. Called right after {@link #taskFinished} for the same run.
     */
    default void taskCommitted(TaskResult result) {}
}
