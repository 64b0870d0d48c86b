package dev.changepipe.cli.bench;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.generate.CustomerSnapshotGenerator;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Full dumps of the built-in snapshot pipeline's customers (docs/semantics.md §7), landed and processed one at a time:
 * the time from a dump's landing to its history task, per dump size. Between two dumps 2% of the customers leave, as
 * many join and 5% change, as in {@code demo --snapshot}.
 */
final class SnapshotScenario {
    private final BenchSizes sizes;
    private final Progress progress;
    private final String engineBlock;

    SnapshotScenario(BenchSizes sizes, Progress progress, String engineBlock) {
        this.sizes = sizes;
        this.progress = progress;
        this.engineBlock = engineBlock;
    }

    BenchReport.Snapshots run(Path dir) throws Exception {
        List<BenchReport.SnapshotSize> results = new ArrayList<>();
        for (long keys : sizes.snapshotKeys()) {
            results.add(run(dir.resolve("keys-" + keys), keys));
        }
        return new BenchReport.Snapshots(results);
    }

    private BenchReport.SnapshotSize run(Path dir, long keys) throws Exception {
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.writeSnapshots(dir, Duration.ZERO, engineBlock));
        CustomerSnapshotGenerator dumps = new CustomerSnapshotGenerator(new GeneratorOptions(sizes.snapshotDumps(),
                Math.toIntExact(keys), Duration.ZERO, ThroughputScenario.SEED, 0.05, 0.02, 0, 0,
                ThroughputScenario.LOGICAL_START));
        Map<PipelineTask, Double> taskSeconds = new EnumMap<>(PipelineTask.class);
        List<Double> seconds = new ArrayList<>();
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(),
                        Clock.systemUTC());
                Progress.Phase phase = progress.start("snapshots: " + sizes.snapshotDumps() + " dumps of "
                        + String.format("%,d", keys) + " keys, one at a time", sizes.snapshotDumps(), "dumps")) {
            engine.prepare();
            PipelineListener listener = new PipelineListener() {
                @Override
                public void taskFinished(TaskRun run) {
                    if (TaskRun.SUCCEEDED.equals(run.status())) {
                        taskSeconds.put(run.task(), Duration.between(run.started(), run.ended()).toNanos() / 1e9);
                    }
                }
            };
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), listener);
            for (int i = 0; i < sizes.snapshotDumps(); i++) {
                // Written before the clock starts: the generator is not the pipeline.
                dumps.writeNext(spec.landing());
                long started = System.nanoTime();
                runner.runUntilIdle();
                seconds.add((System.nanoTime() - started) / 1e9);
                phase.advance(1);
            }
            long current = ((Number) engine.query("SELECT count(*) FROM customer", List.of()).rows().get(0).get(0)).longValue();
            if (current != keys) {
                throw new IllegalStateException("snapshots: the current table has " + current + " customers, the dumps "
                        + keys);
            }
            List<Double> later = seconds.subList(1, seconds.size());
            phase.outcome(String.format("%.2f s per dump", median(later)));
        }
        List<Double> later = seconds.subList(1, seconds.size()).stream().map(ThroughputScenario::round3).toList();
        return new BenchReport.SnapshotSize(keys, ThroughputScenario.round3(seconds.get(0)),
                ThroughputScenario.round3(median(later)), later,
                ThroughputScenario.round3(taskSeconds.getOrDefault(PipelineTask.INGEST, 0.0)),
                ThroughputScenario.round3(taskSeconds.getOrDefault(PipelineTask.CURRENT, 0.0)),
                ThroughputScenario.round3(taskSeconds.getOrDefault(PipelineTask.HISTORY, 0.0)));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
