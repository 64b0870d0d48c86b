package dev.changepipe.cli.bench;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.ListenerGroup;
import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live {@code run} while files land at a steady rate. A file's latency runs from its rename into the
 * landing folder (taken in the generator thread right after the rename) to the end of the first successful
 * history task run after the file was loaded: the moment its rows are committed in the history table.
 */
final class LatencyScenario {
    /** The generator renames finished files into place, so the pipeline need not wait for writes to settle. */
    static final Duration SETTLE = Duration.ofMillis(50);
    private static final Duration BACKLOG_AFTER = Duration.ofSeconds(1);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    private final BenchSizes sizes;
    private final Progress progress;
    private final String engineBlock;
    private final boolean dashboardPage;
    private final boolean doorClient;

    LatencyScenario(BenchSizes sizes, Progress progress, String engineBlock) {
        this(sizes, progress, engineBlock, false, false);
    }

    /**
     * @param dashboardPage whether the run serves the dashboard with a page open on it ({@link DashboardWithPage})
     * @param doorClient whether the run serves the SQL door with a client querying through it ({@link DoorWithClient})
     */
    LatencyScenario(BenchSizes sizes, Progress progress, String engineBlock, boolean dashboardPage, boolean doorClient) {
        this.sizes = sizes;
        this.progress = progress;
        this.engineBlock = engineBlock;
        this.dashboardPage = dashboardPage;
        this.doorClient = doorClient;
    }

    BenchReport.Latency run(Path dir) throws Exception {
        return run(dir, sizes.latencyEvery(), sizes.latencyLength());
    }

    /** Files of the sizes' rows landing every {@code every} for {@code length}. */
    BenchReport.Latency run(Path dir, Duration every, Duration length) throws Exception {
        int files = (int) (length.toNanos() / every.toNanos());
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir, SETTLE, engineBlock));
        Map<String, Instant> landedAt = new ConcurrentHashMap<>();
        Map<String, Instant> committedAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Instant lastLanded;
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(),
                        Clock.systemUTC())) {
            engine.prepare();
            HistoryCommits commits = new HistoryCommits(committedAt);
            // Without --dashboard-page nothing is served (a null resource is not closed).
            DashboardWithPage dashboard = dashboardPage ? DashboardWithPage.open(spec, engine) : null;
            DoorWithClient door = doorClient ? DoorWithClient.open(spec, engine) : null;
            try (dashboard; door) {
                PipelineListener listener = dashboard == null ? commits : ListenerGroup.of(commits, dashboard.live());
                PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), listener);
                Thread pipeline = new Thread(() -> {
                    try {
                        runner.runContinuously(stop::get);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "bench-pipeline");
                pipeline.start();
                GeneratorOptions options = new GeneratorOptions(files, sizes.latencyRowsPerFile(), every,
                        ThroughputScenario.SEED, 0.6, 0.05, 0.05, 0.0, ThroughputScenario.LOGICAL_START);
                try (Progress.Phase phase = progress.start(String.format(java.util.Locale.ROOT,
                        "latency: %,d-row files every %s ms for %d s", sizes.latencyRowsPerFile(),
                        BenchTable.millis(every.toNanos() / 1e6), length.toSeconds()), files, "files")) {
                    new CustomerChangeGenerator(options).writeAll(spec.landing(), file -> {
                        landedAt.put(file.path().getFileName().toString(), Instant.now());
                        phase.advance(1);
                    });
                    lastLanded = Instant.now();
                }
                try (Progress.Phase phase = progress.start("latency: draining the last files", files, "files")) {
                    // An overloaded rate is not waited out for long: its backlog is the figure.
                    Instant deadline = lastLanded.plus(length.plusSeconds(5).compareTo(DRAIN_LIMIT) < 0
                            ? length.plusSeconds(5) : DRAIN_LIMIT);
                    while (committedAt.size() < files && Instant.now().isBefore(deadline) && failure.get() == null) {
                        phase.set(committedAt.size());
                        Thread.sleep(10);
                    }
                    if (dashboard != null) {
                        phase.outcome("a dashboard page open: " + dashboard.page().events() + " events sent to it");
                    }
                    if (door != null) {
                        phase.outcome(door.outcome());
                    }
                }
                stop.set(true);
                Instant stopped = Instant.now();
                pipeline.join();
                if (failure.get() != null) {
                    throw new IllegalStateException("latency: the pipeline failed: " + failure.get().getMessage(), failure.get());
                }
                // A file still waiting when the drain time ran out counts with its wait so far: a lower bound,
                // and part of the backlog below.
                landedAt.keySet().forEach(name -> committedAt.putIfAbsent(name, stopped));
                // Commit times are recorded, so the backlog at that moment is known exactly.
                Instant backlogAt = lastLanded.plus(BACKLOG_AFTER);
                int backlog = files - (int) committedAt.values().stream().filter(t -> !t.isAfter(backlogAt)).count();
                Instant firstLanded = Collections.min(landedAt.values());
                List<BenchReport.FileLatency> byLanding = landedAt.entrySet().stream()
                        .map(e -> new BenchReport.FileLatency(Duration.between(firstLanded, e.getValue()).toMillis() / 1000.0,
                                Duration.between(e.getValue(), committedAt.get(e.getKey())).toMillis()))
                        .sorted(java.util.Comparator.comparingDouble(BenchReport.FileLatency::landedS))
                        .toList();
                List<Long> latencies = byLanding.stream().map(BenchReport.FileLatency::latencyMs).sorted().toList();
                double ingest = commits.meanMs(PipelineTask.INGEST);
                double current = commits.meanMs(PipelineTask.CURRENT);
                double history = commits.meanMs(PipelineTask.HISTORY);
                return new BenchReport.Latency(files, percentile(latencies, 50), percentile(latencies, 95),
                        percentile(latencies, 99), latencies.get(latencies.size() - 1), backlog, sizes.latencyRowsPerFile(),
                        every.toNanos() / 1e6, length.toSeconds(), SETTLE.toMillis(), commits.cycles(),
                        ingest, current, history, Math.round(10 * (ingest + current + history)) / 10.0,
                        commits.maxRowsPerCycle(), byLanding);
            }
        }
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Files loaded since the last history run; the next successful history run commits them. Pipeline thread only. */
    private static final class HistoryCommits implements PipelineListener {
        private final Map<String, Instant> committedAt;
        private final List<String> loaded = new ArrayList<>();
        private long maxRowsIn;
        double meanMs(PipelineTask task) {
            long[] total = runs.get(task);
            return total == null ? 0 : Math.round(10.0 * total[1] / total[0]) / 10.0;
        }

        int cycles() {
            long[] total = runs.get(PipelineTask.INGEST);
            return total == null ? 0 : (int) total[0];
        }

        /** The most raw rows one history run took in: the largest cycle the means are over. */
        long maxRowsPerCycle() {
            return maxRowsIn;
        }

        /** Successful runs and their total milliseconds, per task: where a file's latency goes. */
        final Map<PipelineTask, long[]> runs = new java.util.EnumMap<>(PipelineTask.class);

        HistoryCommits(Map<String, Instant> committedAt) {
            this.committedAt = committedAt;
        }

        @Override
        public void fileProcessed(LandedFile file, FileOutcome outcome) {
            if (outcome instanceof FileOutcome.Loaded) {
                loaded.add(file.name());
            }
        }

        @Override
        public void taskFinished(TaskRun run) {
            if (TaskRun.SUCCEEDED.equals(run.status())) {
                long[] total = runs.computeIfAbsent(run.task(), t -> new long[2]);
                total[0]++;
                total[1] += Duration.between(run.started(), run.ended()).toMillis();
            }
            if (run.task() == PipelineTask.HISTORY && TaskRun.SUCCEEDED.equals(run.status())) {
                maxRowsIn = Math.max(maxRowsIn, run.rowsIn());
                loaded.forEach(name -> committedAt.put(name, run.ended()));
                loaded.clear();
            }
        }
    }
}
