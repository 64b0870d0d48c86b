package dev.changepipe.schedule;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.landing.LandingUnavailableException;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.spec.PipelineSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline's tasks in order — ingest, current, history — when files land and on the spec's
 * schedule. A task with no new input is skipped (Snowflake's {@code WHEN SYSTEM$STREAM_HAS_DATA}).
 * A failing task is retried with back-off; since every engine operation is atomic, a failure never
 * leaves half-applied work, and its input is simply taken again.
 */
public final class PipelineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
    private static final int ATTEMPTS = 4;
    private static final int BATCH_FILES = 1000;
    private static final long BATCH_BYTES = 64L << 20;
    /** How long the landing zone stays quiet before the engine's deferred upkeep runs ({@link Engine#idle}). */
    static final Duration QUIET = Duration.ofSeconds(1);

    private final PipelineSpec spec;
    private final Engine engine;
    private final LandingZone landing;
    private final Clock clock;
    private final PipelineListener listener;
    private final Duration firstBackoff;
    /** Why the landing zone could not be read in the last cycle; null when it could. */
    private LandingUnavailableException unavailable;
    /** When a cycle last did work; the engine's idle upkeep waits for {@link #QUIET} after it. */
    private Instant lastWork;
    private boolean idleSinceWork;

    public PipelineRunner(PipelineSpec spec, Engine engine, LandingZone landing, Clock clock,
            PipelineListener listener) {
        this(spec, engine, landing, clock, listener, Duration.ofMillis(200));
    }

    PipelineRunner(PipelineSpec spec, Engine engine, LandingZone landing, Clock clock, PipelineListener listener,
            Duration firstBackoff) {
        this.spec = spec;
        this.engine = engine;
        this.landing = landing;
        this.clock = clock;
        this.listener = listener;
        this.firstBackoff = firstBackoff;
    }

    /** One pass: loads every ready file, then applies the current table, then the history table. */
    public Cycle runCycle() throws InterruptedException {
        List<LandedFile> files = readyFiles();
        boolean failed = files == null;
        if (files == null) {
            files = List.of();
        }
        failed |= !ingest(files);
        TaskResult current = runTask(PipelineTask.CURRENT, engine::applyCurrent, FaultPoint.CURRENT_COMMITTED);
        TaskResult history = runTask(PipelineTask.HISTORY, engine::applyHistory, FaultPoint.HISTORY_COMMITTED);
        failed |= current == null || history == null;
        boolean work = !files.isEmpty() || (current != null && !current.isSkipped())
                || (history != null && !history.isSkipped());
        return new Cycle(files.size(), work, failed, landing.hasSettlingFiles());
    }

    /** Cycles until nothing is left: no file waiting or being written, no task with input. For {@code run --once}. */
    public void runUntilIdle() throws InterruptedException {
        while (true) {
            Cycle cycle = runCycle();
            if (cycle.failed() && unavailable != null) {
                throw unavailable;
            }
            if (cycle.failed()) {
                throw new ChangepipeException(ErrorCategory.EXTERNAL_ERROR,
                        "a task failed after " + ATTEMPTS + " attempts; see the task history (changepipe status)");
            }
            if (cycle.filesSettling()) {
                Thread.sleep(landing.untilFirstSettled().toMillis());
            } else if (!cycle.workDone()) {
                return;
            }
        }
    }

    /** Cycles when files land and at least every {@code schedule.every}, until {@code stop} says so. */
    public void runContinuously(BooleanSupplier stop) throws InterruptedException {
        Duration backoff = firstBackoff;
        lastWork = clock.instant();
        while (!stop.getAsBoolean()) {
            Cycle cycle = runCycle();
            if (cycle.workDone()) {
                lastWork = clock.instant();
                idleSinceWork = false;
            }
            Duration wait = spec.schedule().every();
            if (cycle.failed()) {
                wait = backoff;
                backoff = min(backoff.multipliedBy(2), spec.schedule().every());
                if (unavailable != null) {
                    // A zone that cannot be read cannot say when it changes either: wait out the back-off.
                    sleep(wait, stop);
                    continue;
                }
            } else {
                backoff = firstBackoff;
                if (cycle.workDone()) {
                    continue;
                }
                if (cycle.filesSettling()) {
                    // A file being written sends an event per write: sleep until it can be ready instead
                    // (in slices, so that a stop request is seen promptly).
                    Thread.sleep(min(landing.untilFirstSettled(), Duration.ofMillis(250)).toMillis());
                    continue;
                }
            }
            waitForChange(wait, stop);
        }
    }

    private void sleep(Duration wait, BooleanSupplier stop) throws InterruptedException {
        Instant until = clock.instant().plus(wait);
        while (!stop.getAsBoolean() && clock.instant().isBefore(until)) {
            Thread.sleep(min(Duration.between(clock.instant(), until), Duration.ofMillis(250)).toMillis());
        }
    }

    private void waitForChange(Duration wait, BooleanSupplier stop) throws InterruptedException {
        // Short polls so that a stop request is seen promptly.
        Instant until = clock.instant().plus(wait);
        while (!stop.getAsBoolean() && clock.instant().isBefore(until)) {
            Instant quietAt = lastWork.plus(QUIET);
            if (!idleSinceWork && !clock.instant().isBefore(quietAt)) {
                idleSinceWork = true;
                idle();
                continue;
            }
            Instant next = idleSinceWork || quietAt.isAfter(until) ? until : quietAt;
            if (landing.awaitChange(min(Duration.between(clock.instant(), next), Duration.ofMillis(250)))) {
                return;
            }
        }
    }

    /** The engine's deferred upkeep; a failure of it is logged and tried again after the next quiet spell. */
    private void idle() {
        try {
            engine.idle();
        } catch (RuntimeException e) {
            LOG.warn("upkeep of pipeline {} while idle failed: {}", spec.name(), e.getMessage());
        }
    }

    /**
     * The landing zone's ready files, asked again with back-off while the zone cannot be read; null when
     * every attempt failed. Nothing is lost meanwhile: whatever landed is found once the zone answers.
     */
    private List<LandedFile> readyFiles() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                List<LandedFile> files = landing.readyFiles();
                if (unavailable != null) {
                    LOG.info("{} answers again; catching up", landing.location());
                    unavailable = null;
                }
                return files;
            } catch (LandingUnavailableException e) {
                unavailable = e;
                LOG.warn("{} (attempt {} of {})", e.getMessage(), attempt, ATTEMPTS);
                if (attempt == ATTEMPTS) {
                    return null;
                }
                Thread.sleep(backoff(attempt).toMillis());
            }
        }
    }

    /**
     * Loads the files in batches, each batch one transaction (small files cost one commit between
     * them, not one each). A batch that fails is left for the next cycle and does not stop the others.
     */
    private boolean ingest(List<LandedFile> files) throws InterruptedException {
        if (files.isEmpty()) {
            return true;
        }
        Instant started = clock.instant();
        long rows = 0;
        long alreadyRecorded = 0;
        boolean allLoaded = true;
        String firstError = null;
        CheckCounts checks = CheckCounts.NONE;
        for (List<LandedFile> batch : batches(files)) {
            List<FileOutcome> outcomes = null;
            for (int attempt = 1; attempt <= ATTEMPTS && outcomes == null; attempt++) {
                try {
                    outcomes = engine.load(batch);
                } catch (RuntimeException e) {
                    LOG.warn("loading {} file(s) from {} failed (attempt {} of {}): {}", batch.size(), batch.get(0).name(),
                            attempt, ATTEMPTS, e.getMessage());
                    if (firstError == null) {
                        firstError = e.getMessage();
                    }
                    if (attempt < ATTEMPTS) {
                        Thread.sleep(backoff(attempt).toMillis());
                    }
                }
            }
            if (outcomes == null) {
                allLoaded = false;
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) instanceof FileOutcome.AlreadyRecorded) {
                    alreadyRecorded++;
                }
                rows += account(batch.get(i), outcomes.get(i));
                if (outcomes.get(i) instanceof FileOutcome.Loaded loaded) {
                    checks = checks.plus(loaded.checks());
                } else if (outcomes.get(i) instanceof FileOutcome.Refused refused) {
                    checks = checks.plus(refused.checks());
                }
            }
            if (outcomes.stream().anyMatch(FileOutcome.Deferred.class::isInstance)) {
                // The files after one that added columns wait for the next scan, so that they still load in order.
                break;
            }
        }
        if (allLoaded && alreadyRecorded == files.size()) {
            // A new process finds every file in the folder again; those the ledger already holds are no new
            // input, so the ingest run is skipped and not recorded (rule 6.1).
            return true;
        }
        record(new TaskRun(PipelineTask.INGEST, started, clock.instant(), files.size() - alreadyRecorded, rows, 1,
                allLoaded ? TaskRun.SUCCEEDED : TaskRun.FAILED, firstError, checks));
        return allLoaded;
    }

    /** Consecutive files up to {@value #BATCH_FILES} files or {@value #BATCH_BYTES} bytes; a larger file alone. */
    private static List<List<LandedFile>> batches(List<LandedFile> files) {
        List<List<LandedFile>> batches = new ArrayList<>();
        List<LandedFile> current = new ArrayList<>();
        long bytes = 0;
        for (LandedFile file : files) {
            if (!current.isEmpty() && (current.size() == BATCH_FILES || bytes + file.size() > BATCH_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(file);
            bytes += file.size();
        }
        batches.add(current);
        return batches;
    }

    /** Logs and reports what happened to one file; returns the rows it loaded. */
    private long account(LandedFile file, FileOutcome outcome) {
        if (outcome instanceof FileOutcome.ChangedWhileRead changed) {
            // Not recorded and not marked: it is found again, with its new modification time, once it settles.
            LOG.info("{}: {}; it will be read again", file.name(), changed.reason());
            return 0;
        }
        if (outcome instanceof FileOutcome.Deferred deferred) {
            // Not recorded and not marked: the next scan finds it again, and the tables have its columns by then.
            LOG.info("{}: {}", file.name(), deferred.reason());
            return 0;
        }
        landing.markHandled(file);
        if (outcome instanceof FileOutcome.Refused refused) {
            LOG.warn("refused {}: {}", file.name(), refused.reason());
        } else if (outcome instanceof FileOutcome.Vanished) {
            LOG.warn("{} was gone before it could be read; recorded as vanished", file.name());
        } else if (outcome instanceof FileOutcome.Redelivered redelivered) {
            LOG.info("skipped {}: same name and content as file {} loaded before", file.name(),
                    redelivered.originalFileId());
        }
        listener.fileProcessed(file, outcome);
        return outcome instanceof FileOutcome.Loaded loaded ? loaded.rowsLoaded() : 0;
    }

    /** Runs a task with retries; returns null when every attempt failed. */
    private TaskResult runTask(PipelineTask task, Supplier<TaskResult> body, FaultPoint committed)
            throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant started = clock.instant();
            try {
                TaskResult result = body.get();
                if (!result.isSkipped()) {
                    committed.reached();
                    record(new TaskRun(task, started, clock.instant(), result.rowsIn(), result.rowsOut(), attempt,
                            TaskRun.SUCCEEDED, null));
                    listener.taskCommitted(result);
                }
                return result;
            } catch (RuntimeException e) {
                String cause = ChangepipeException.firstLine(e.getMessage());
                LOG.warn("task {} failed (attempt {} of {}): {}", task.label(), attempt, ATTEMPTS, cause);
                LOG.debug("task {} failed", task.label(), e);
                record(new TaskRun(task, started, clock.instant(), 0, 0, attempt, TaskRun.FAILED, cause));
                if (attempt < ATTEMPTS) {
                    Thread.sleep(backoff(attempt).toMillis());
                }
            }
        }
        return null;
    }

    private void record(TaskRun run) {
        try {
            engine.recordTaskRun(run);
        } catch (RuntimeException e) {
            LOG.warn("cannot record the {} task run in the task history: {}", run.task().label(), e.getMessage());
        }
        listener.taskFinished(run);
    }

    private Duration backoff(int attempt) {
        return firstBackoff.multipliedBy(1L << Math.min(2 * (attempt - 1), 10));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
