package dev.changepipe.schedule;

import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;

/** Observes a running pipeline (progress displays, tests). Called on the pipeline's thread; keep it quick. */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    default void fileProcessed(LandedFile file, FileOutcome outcome) {}

    default void taskFinished(TaskRun run) {}
}
