package dev.changepipe.cli.dashboard;

import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's Prometheus metrics, counted from its own events (never read back from the engine). Counters start
 * at zero with the process, as Prometheus expects of a counter; {@code rate()} and {@code increase()} handle restarts.
 */
public final class PipelineMetrics {
    /** Where the landing → history latencies fall: a second is the target, a minute is the schedule's default. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(300)};
    /** The tasks that consume the raw table, and so have a lag and a backlog. */
    static final PipelineTask[] CONSUMERS = {PipelineTask.CURRENT, PipelineTask.HISTORY};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<FileStatus, Counter> files = new EnumMap<>(FileStatus.class);
    private final Counter rowsLoaded;
    private final Counter rowsRejected;
    private final Map<PipelineTask, Timer> succeeded = new EnumMap<>(PipelineTask.class);
    private final Map<PipelineTask, Timer> failed = new EnumMap<>(PipelineTask.class);
    private final Map<PipelineTask, Counter> failures = new EnumMap<>(PipelineTask.class);
    private final Timer landingToHistory;

    /** @param live where the lag and backlog gauges read their values when scraped */
    PipelineMetrics(String pipeline, LivePipeline live) {
        registry.config().commonTags("pipeline", pipeline);
        for (FileStatus status : FileStatus.values()) {
            files.put(status, Counter.builder("changepipe.ledger.files").description("Landed files, by how the ledger recorded them")
                    .tag("status", status.word()).register(registry));
        }
        rowsLoaded = Counter.builder("changepipe.rows.loaded").description("Rows loaded into the raw table").register(registry);
        rowsRejected = Counter.builder("changepipe.rows.rejected").description("Rows kept out of raw, in the rejects table")
                .register(registry);
        for (PipelineTask task : PipelineTask.values()) {
            succeeded.put(task, taskTimer(task, TaskRun.SUCCEEDED));
            failed.put(task, taskTimer(task, TaskRun.FAILED));
            failures.put(task, Counter.builder("changepipe.task.failures").description("Failed task attempts (each is retried)")
                    .tag("task", task.label()).register(registry));
        }
        for (PipelineTask task : CONSUMERS) {
            gauge("changepipe.task.lag", "seconds", "Age of the oldest loaded file the task has not applied yet", task,
                    l -> l.lag(task).toMillis() / 1000.0, live);
            gauge("changepipe.task.backlog", "files", "Loaded files the task has not applied yet", task,
                    l -> l.backlog(task), live);
        }
        landingToHistory = Timer.builder("changepipe.landing.to.history")
                .description("From a file's landing (its modification time) to the commit of the history run that applied it")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private Timer taskTimer(PipelineTask task, String status) {
        return Timer.builder("changepipe.task.duration").description("Task runs that did work, and failed attempts")
                .tag("task", task.label()).tag("status", status).register(registry);
    }

    private void gauge(String name, String unit, String description, PipelineTask task, ToDoubleFunction<LivePipeline> value,
            LivePipeline live) {
        Gauge.builder(name, live, value).baseUnit(unit).description(description).tag("task", task.label()).register(registry);
    }

    void file(FileStatus status, long loaded, long rejected) {
        files.get(status).increment();
        rowsLoaded.increment(loaded);
        rowsRejected.increment(rejected);
    }

    void task(TaskRun run) {
        Duration took = Duration.between(run.started(), run.ended());
        if (TaskRun.SUCCEEDED.equals(run.status())) {
            succeeded.get(run.task()).record(took);
        } else {
            failed.get(run.task()).record(took);
            failures.get(run.task()).increment();
        }
    }

    void landingToHistory(Duration latency) {
        landingToHistory.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** The Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
