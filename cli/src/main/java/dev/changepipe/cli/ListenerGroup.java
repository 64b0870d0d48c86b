package dev.changepipe.cli;

import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.schedule.PipelineListener;
import java.util.List;

/** Several observers of one runner (the demo's progress line and the dashboard), told in the order given. */
public record ListenerGroup(List<PipelineListener> listeners) implements PipelineListener {
    public ListenerGroup {
        listeners = List.copyOf(listeners);
    }

    public static ListenerGroup of(PipelineListener... listeners) {
        return new ListenerGroup(List.of(listeners));
    }

    @Override
    public void fileProcessed(LandedFile file, FileOutcome outcome) {
        listeners.forEach(l -> l.fileProcessed(file, outcome));
    }

    @Override
    public void taskFinished(TaskRun run) {
        listeners.forEach(l -> l.taskFinished(run));
    }

    @Override
    public void taskCommitted(TaskResult result) {
        listeners.forEach(l -> l.taskCommitted(result));
    }
}
