package dev.changepipe.cli.bench;

import dev.changepipe.cli.BuiltInSpec;
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

    LatencyScenario(BenchSizes sizes, Progress progress, String engineBlock) {
        this.sizes = sizes;
        this.progress = progress;
        this.engineBlock = engineBlock;
    }

    BenchReport.Latency run(Path dir) throws Exception {
        int files = (int) (sizes.latencyLength().toMillis() / sizes.latencyEvery().toMillis());
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
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), commits);
            Thread pipeline = new Thread(() -> {
                try {
                    runner.runContinuously(stop::get);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "bench-pipeline");
            pipeline.start();
            GeneratorOptions options = new GeneratorOptions(files, sizes.latencyRowsPerFile(), sizes.latencyEvery(),
                    ThroughputScenario.SEED, 0.6, 0.05, 0.05, 0.0, ThroughputScenario.LOGICAL_START);
            try (Progress.Phase phase = progress.start(String.format("latency: %,d-row files every %d ms for %d s",
                    sizes.latencyRowsPerFile(), sizes.latencyEvery().toMillis(), sizes.latencyLength().toSeconds()),
                    files, "files")) {
                new CustomerChangeGenerator(options).writeAll(spec.landing(), file -> {
                    landedAt.put(file.path().getFileName().toString(), Instant.now());
                    phase.advance(1);
                });
                lastLanded = Instant.now();
            }
            try (Progress.Phase phase = progress.start("latency: draining the last files", files, "files")) {
                Instant deadline = lastLanded.plus(DRAIN_LIMIT);
                while (committedAt.size() < files && Instant.now().isBefore(deadline) && failure.get() == null) {
                    phase.set(committedAt.size());
                    Thread.sleep(10);
                }
            }
            stop.set(true);
            pipeline.join();
            if (failure.get() != null) {
                throw new IllegalStateException("latency: the pipeline failed: " + failure.get().getMessage(), failure.get());
            }
            if (committedAt.size() < files) {
                throw new IllegalStateException("latency: only " + committedAt.size() + " of " + files
                        + " files reached the history table within " + DRAIN_LIMIT.toSeconds() + " s of the last landing");
            }
            // Commit times are recorded, so the backlog at that moment is known exactly.
            Instant backlogAt = lastLanded.plus(BACKLOG_AFTER);
            int backlog = files - (int) committedAt.values().stream().filter(t -> !t.isAfter(backlogAt)).count();
            List<Long> latencies = new ArrayList<>();
            landedAt.forEach((name, landed) -> latencies.add(Duration.between(landed, committedAt.get(name)).toMillis()));
            Collections.sort(latencies);
            return new BenchReport.Latency(files, percentile(latencies, 50), percentile(latencies, 95),
                    percentile(latencies, 99), latencies.get(latencies.size() - 1), backlog, sizes.latencyRowsPerFile(),
                    sizes.latencyEvery().toMillis(), sizes.latencyLength().toSeconds(), SETTLE.toMillis(), commits.cycles(),
                    commits.meanMs(PipelineTask.INGEST), commits.meanMs(PipelineTask.CURRENT),
                    commits.meanMs(PipelineTask.HISTORY), List.copyOf(latencies));
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
        double meanMs(PipelineTask task) {
            long[] total = runs.get(task);
            return total == null ? 0 : Math.round(10.0 * total[1] / total[0]) / 10.0;
        }

        int cycles() {
            long[] total = runs.get(PipelineTask.INGEST);
            return total == null ? 0 : (int) total[0];
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
                loaded.forEach(name -> committedAt.put(name, run.ended()));
                loaded.clear();
            }
        }
    }
}
