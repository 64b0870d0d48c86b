package dev.changepipe.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.engine.TaskResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.spec.PipelineSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline as the dashboard and {@code /metrics} see it, kept up to date from the runner's own events: files,
 * task runs, offsets, lag, backlog and latencies cost no query. The engine is read once at start (the latest files
 * and task runs, the offsets, the row counts) and afterwards only for the sizes of the current and history tables,
 * which no event carries: after a history commit, at most once per {@link #COUNTS_EVERY}, on a thread of its own,
 * and never while the pipeline is idle.
 *
 * <p>The listener methods run on the pipeline's thread and only update memory and hand each subscriber a message.
 */
public final class LivePipeline implements PipelineListener, AutoCloseable {
    /** How many files, task runs and latencies the dashboard keeps and shows. */
    static final int KEPT = 500;
    static final Duration COUNTS_EVERY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One landed file as the ledger recorded it; times in epoch milliseconds. {@code checks}: its rows that failed each
     * quality check, as the ledger keeps them (rule 1.7); {@code headerDrift}: the columns its header added or lacked
     * (rule 1.8), such as {@code new phone; missing city}, empty for none.
     */
    public record FileView(long fileId, String name, String status, long rowsLoaded, long rowsRejected, String firstError,
            long ingestedAt, List<CheckView> checks, String headerDrift) {
        public FileView {
            checks = List.copyOf(checks);
        }

        public FileView(long fileId, String name, String status, long rowsLoaded, long rowsRejected, String firstError,
                long ingestedAt, CheckCounts counts, HeaderDrift drift) {
            this(fileId, name, status, rowsLoaded, rowsRejected, firstError, ingestedAt,
                    counts.counts().stream().map(c -> new CheckView(c.check(), c.onFail().word(), c.rows())).toList(),
                    drift.summary());
        }
    }

    /** The rows of a file that failed one check, and what the check did to them ({@code warn}, {@code drop}, {@code refuse}). */
    public record CheckView(String check, String onFail, long rows) {}

    /** One task run; times in epoch milliseconds. */
    public record TaskView(String task, long started, long ended, long rowsIn, long rowsOut, int attempt, String status,
            String error) {}

    /** The landing → history latency of one file, measured when the history run that applied it committed. */
    public record LatencyPoint(long fileId, long at, long millis) {}

    /** One raw consumer's position: its committed offset, and the loaded files it has still to apply. */
    public record TaskPosition(long offset, int backlog, long lagMillis) {}

    /** The numbers of the pipeline graph. */
    public record Summary(long at, long lastFileId, Map<String, Long> rows, Map<String, Long> filesByStatus,
            Map<String, TaskPosition> tasks, Long lastLatencyMillis) {}

    /** Everything a page needs when it opens; events keep it current from there. */
    public record Snapshot(String pipeline, Map<String, String> tables, boolean analysis, List<String> keys,
            Summary summary, List<FileView> files, List<TaskView> tasks, List<LatencyPoint> latencies) {}

    /** A loaded file a raw consumer has not applied yet. */
    private record Pending(long fileId, Instant landed) {}

    private final PipelineSpec spec;
    private final Engine engine;
    private final Clock clock;
    private final PipelineMetrics metrics;
    private final EventStream events = new EventStream();
    private final Deque<FileView> files = new ArrayDeque<>();
    private final Deque<TaskView> tasks = new ArrayDeque<>();
    private final Deque<LatencyPoint> latencies = new ArrayDeque<>();
    private final Map<PipelineTask, Deque<Pending>> pending = new EnumMap<>(PipelineTask.class);
    private final Map<PipelineTask, Long> offsets = new EnumMap<>(PipelineTask.class);
    private final Map<FileStatus, Long> filesByStatus = new EnumMap<>(FileStatus.class);
    private final ScheduledExecutorService counter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-counts");
        t.setDaemon(true);
        return t;
    });
    private long lastFileId;
    private long raw;
    private long rejects;
    private TableCounts counts;
    private Instant countsRead = Instant.EPOCH;
    private boolean countsScheduled;
    private Instant lastHistoryEnd;
    private Long lastLatency;

    private LivePipeline(PipelineSpec spec, Engine engine, Clock clock) {
        this.spec = spec;
        this.engine = engine;
        this.clock = clock;
        for (PipelineTask task : PipelineMetrics.CONSUMERS) {
            pending.put(task, new ArrayDeque<>());
            offsets.put(task, 0L);
        }
        for (FileStatus status : FileStatus.values()) {
            filesByStatus.put(status, 0L);
        }
        this.metrics = new PipelineMetrics(spec.name(), this);
    }

    /** Starts from what the engine holds: call after {@link Engine#prepare()} and before the runner starts. */
    public static LivePipeline start(PipelineSpec spec, Engine engine, Clock clock) {
        LivePipeline live = new LivePipeline(spec, engine, clock);
        live.seed();
        return live;
    }

    private synchronized void seed() {
        counts = engine.rowCounts();
        countsRead = clock.instant();
        raw = counts.raw();
        rejects = counts.rejects();
        for (Offset offset : engine.offsets()) {
            if (offset.consumer().equals(Consumers.CURRENT)) {
                offsets.put(PipelineTask.CURRENT, offset.committed());
            } else if (offset.consumer().equals(Consumers.HISTORY)) {
                offsets.put(PipelineTask.HISTORY, offset.committed());
            }
        }
        List<LedgerEntry> latest = new ArrayList<>(engine.ledger(LedgerQuery.latest(KEPT)));
        java.util.Collections.reverse(latest);
        for (LedgerEntry e : latest) {
            lastFileId = Math.max(lastFileId, e.fileId());
            keep(files, new FileView(e.fileId(), e.name(), e.status().word(), e.rowsLoaded(), e.rowsRejected(), e.firstError(),
                    millis(e.ingestedAt()), e.checks(), e.drift()));
            for (PipelineTask task : PipelineMetrics.CONSUMERS) {
                if (e.rowsLoaded() > 0 && e.fileId() > offsets.get(task)) {
                    pending.get(task).add(new Pending(e.fileId(), e.lastModified()));
                }
            }
        }
        List<TaskRun> runs = new ArrayList<>(engine.taskHistory(KEPT));
        java.util.Collections.reverse(runs);
        runs.forEach(run -> keep(tasks, view(run)));
    }

    @Override
    public void fileProcessed(LandedFile file, FileOutcome outcome) {
        FileView view;
        FileStatus status;
        long loaded = 0;
        long rejected = 0;
        if (outcome instanceof FileOutcome.Loaded l) {
            status = l.rowsRejected() == 0 ? FileStatus.LOADED : FileStatus.LOADED_WITH_REJECTS;
            loaded = l.rowsLoaded();
            rejected = l.rowsRejected();
            view = new FileView(l.fileId(), file.name(), status.word(), loaded, rejected, l.firstError(), now(), l.checks(),
                    l.drift());
        } else if (outcome instanceof FileOutcome.Refused r) {
            status = FileStatus.REFUSED;
            view = new FileView(r.fileId(), file.name(), status.word(), 0, 0, r.reason(), now(), r.checks(), HeaderDrift.NONE);
        } else if (outcome instanceof FileOutcome.Redelivered r) {
            status = FileStatus.REDELIVERED;
            view = new FileView(r.fileId(), file.name(), status.word(), 0, 0, "repeats file " + r.originalFileId(), now(),
                    CheckCounts.NONE, HeaderDrift.NONE);
        } else if (outcome instanceof FileOutcome.Vanished v) {
            status = FileStatus.VANISHED;
            view = new FileView(v.fileId(), file.name(), status.word(), 0, 0, null, now(), CheckCounts.NONE, HeaderDrift.NONE);
        } else {
            // Already recorded or changed while read: the ledger holds nothing new.
            return;
        }
        metrics.file(status, loaded, rejected);
        synchronized (this) {
            lastFileId = Math.max(lastFileId, view.fileId());
            raw += loaded;
            rejects += rejected;
            filesByStatus.merge(status, 1L, Long::sum);
            keep(files, view);
            if (loaded > 0) {
                for (PipelineTask task : PipelineMetrics.CONSUMERS) {
                    pending.get(task).add(new Pending(view.fileId(), file.lastModified()));
                }
            }
            publish("file", view);
            publish("summary", summary());
        }
    }

    @Override
    public void taskFinished(TaskRun run) {
        metrics.task(run);
        synchronized (this) {
            TaskView view = view(run);
            keep(tasks, view);
            if (run.task() == PipelineTask.HISTORY && TaskRun.SUCCEEDED.equals(run.status())) {
                lastHistoryEnd = run.ended();
            }
            publish("task", view);
        }
    }

    @Override
    public void taskCommitted(TaskResult result) {
        if (!offsets.containsKey(result.task())) {
            return;
        }
        List<Duration> applied = new ArrayList<>();
        synchronized (this) {
            offsets.put(result.task(), result.toOffset());
            Deque<Pending> waiting = pending.get(result.task());
            while (!waiting.isEmpty() && waiting.peekFirst().fileId() <= result.toOffset()) {
                Pending file = waiting.pollFirst();
                if (result.task() == PipelineTask.HISTORY) {
                    Instant committed = lastHistoryEnd == null ? clock.instant() : lastHistoryEnd;
                    Duration latency = Duration.between(file.landed(), committed);
                    applied.add(latency);
                    lastLatency = latency.toMillis();
                    LatencyPoint point = new LatencyPoint(file.fileId(), millis(committed), latency.toMillis());
                    keep(latencies, point);
                    publish("latency", point);
                }
            }
            if (result.task() == PipelineTask.HISTORY) {
                scheduleCounts();
            }
            publish("summary", summary());
        }
        applied.forEach(metrics::landingToHistory);
    }

    /** Reads the table sizes no event carries, soon but not more often than {@link #COUNTS_EVERY}. */
    private void scheduleCounts() {
        if (countsScheduled) {
            return;
        }
        countsScheduled = true;
        long wait = Math.max(0, Duration.between(clock.instant(), countsRead.plus(COUNTS_EVERY)).toMillis());
        try {
            counter.schedule(this::readCounts, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            countsScheduled = false;
        }
    }

    private void readCounts() {
        TableCounts read;
        try {
            read = engine.rowCounts();
        } catch (RuntimeException e) {
            // The next history commit asks again; the page keeps the last sizes meanwhile.
            synchronized (this) {
                countsScheduled = false;
            }
            return;
        }
        synchronized (this) {
            counts = read;
            countsRead = clock.instant();
            countsScheduled = false;
            publish("summary", summary());
        }
    }

    /** How long the oldest loaded file {@code task} has not applied has waited since it landed; zero when none waits. */
    synchronized Duration lag(PipelineTask task) {
        Pending oldest = pending.get(task).peekFirst();
        return oldest == null ? Duration.ZERO : Duration.between(oldest.landed(), clock.instant());
    }

    /** How many loaded files {@code task} has not applied yet. */
    synchronized int backlog(PipelineTask task) {
        return pending.get(task).size();
    }

    public synchronized Summary summary() {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("raw", raw);
        rows.put("rejects", rejects);
        rows.put("current", counts.current());
        rows.put("changes", counts.changes());
        rows.put("history", counts.history());
        Map<String, Long> byStatus = new LinkedHashMap<>();
        filesByStatus.forEach((status, n) -> byStatus.put(status.word(), n));
        Map<String, TaskPosition> positions = new LinkedHashMap<>();
        for (PipelineTask task : PipelineMetrics.CONSUMERS) {
            positions.put(task.label(), new TaskPosition(offsets.get(task), backlog(task), lag(task).toMillis()));
        }
        return new Summary(now(), lastFileId, rows, byStatus, positions, lastLatency);
    }

    public synchronized Snapshot snapshot() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("raw", spec.tables().raw());
        tables.put("rejects", spec.tables().rejects());
        tables.put("current", spec.tables().current());
        tables.put("changes", spec.tables().changes());
        tables.put("history", spec.tables().history());
        return new Snapshot(spec.name(), tables, CustomerAnalysis.appliesTo(spec), spec.keys(), summary(),
                List.copyOf(files), List.copyOf(tasks), List.copyOf(latencies));
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    EventStream events() {
        return events;
    }

    /** Called with this object's lock held, so that every subscriber gets the events in the order they happened. */
    private void publish(String event, Object data) {
        if (events.subscribers() == 0) {
            return;
        }
        try {
            events.publish(event, JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dashboard view is not JSON: " + e.getMessage(), e);
        }
    }

    private static <T> void keep(Deque<T> kept, T item) {
        kept.addLast(item);
        if (kept.size() > KEPT) {
            kept.removeFirst();
        }
    }

    private static TaskView view(TaskRun run) {
        return new TaskView(run.task().label(), millis(run.started()), millis(run.ended()), run.rowsIn(), run.rowsOut(),
                run.attempt(), run.status(), run.error());
    }

    private long now() {
        return clock.instant().toEpochMilli();
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }

    @Override
    public void close() {
        counter.shutdownNow();
        events.close();
    }
}
