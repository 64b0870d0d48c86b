package dev.changepipe.cli.bench;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.JavaCommand;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import dev.changepipe.sql.SqlTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The same change batch applied to history tables of growing size. Building a 10M-row history through the
 * pipeline would take longer than the benchmark may, so each size is seeded directly with SQL (raw, ledger,
 * current, change feed and history, consistent with each other, offsets at the end), and the batches are
 * then applied by the real pipeline in a fresh JVM, which also makes its peak memory that point's own.
 */
final class GrowthScenario {
    private static final SqlTemplate SEED = SqlTemplate.load(GrowthScenario.class, "growth_seed.sql");
    /** A prime: k = 1 + p * STRIDE mod K scatters the keys, and is a bijection for every K it does not divide. */
    private static final long STRIDE = 1_000_003;
    private static final int SEED_ROWS_PER_FILE = 50_000;

    private final BenchSizes sizes;
    private final Progress progress;

    GrowthScenario(BenchSizes sizes, Progress progress) {
        this.sizes = sizes;
        this.progress = progress;
    }

    BenchReport.Growth run(Path dir) throws Exception {
        long batchKeys = sizes.growthHistoryRows().get(0) / 3;
        Path batches = Files.createDirectories(dir.resolve("batches"));
        for (int i = 0; i <= sizes.growthMeasuredBatches(); i++) {
            GrowthBatch.write(batches, i, sizes.growthBatchRows(), batchKeys);
        }
        List<BenchReport.GrowthPoint> points = new ArrayList<>();
        for (long historyRows : sizes.growthHistoryRows()) {
            Path pointDir = dir.resolve("history_" + historyRows);
            points.add(point(pointDir, historyRows, batches));
            // The 10M-row warehouse takes gigabytes; only one size is on disk at a time.
            BenchCommand.deleteRecursively(pointDir);
        }
        double smallest = points.get(0).secondsPerBatch();
        double largest = points.get(points.size() - 1).secondsPerBatch();
        long maxRss = points.stream().mapToLong(BenchReport.GrowthPoint::peakRssMb).max().orElse(0);
        return new BenchReport.Growth(sizes.growthBatchRows(), points, ThroughputScenario.round3(largest / smallest), maxRss);
    }

    private BenchReport.GrowthPoint point(Path dir, long historyRows, Path batches) throws Exception {
        long keys = historyRows / 3;
        if (keys % STRIDE == 0) {
            throw new IllegalArgumentException("growth: " + historyRows + " history rows: pick a size whose third "
                    + STRIDE + " does not divide");
        }
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir, Duration.ZERO));
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
        }
        double seedSeconds;
        Path database = spec.engine().path().resolve("warehouse.duckdb");
        try (DuckDbSession db = DuckDbSession.open(database);
                Progress.Phase phase = progress.start(String.format("growth: seeding %,d history rows", historyRows),
                        db::progress)) {
            long started = System.nanoTime();
            db.run(SEED, Map.of(), Map.of("keys", keys, "stride", STRIDE, "rows_per_file", SEED_ROWS_PER_FILE,
                    "pipeline", spec.name()));
            seedSeconds = ThroughputScenario.seconds(started);
        }
        GrowthPointRun.Result result = applyInChild(dir, spec, batches, historyRows);
        if (result.historyRows() < historyRows) {
            throw new IllegalStateException("growth: the history has " + result.historyRows() + " rows, expected at least "
                    + historyRows);
        }
        List<GrowthPointRun.BatchTimes> measured = result.batches().subList(1, result.batches().size());
        GrowthPointRun.BatchTimes median = measured.stream()
                .sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList().get(measured.size() / 2);
        return new BenchReport.GrowthPoint(historyRows, result.rawRows(), result.currentRows(),
                ThroughputScenario.round3(median.seconds()), result.peakRssMb(), result.peakHeapMb(),
                ThroughputScenario.round3(median.ingest()), ThroughputScenario.round3(median.current()),
                ThroughputScenario.round3(median.history()),
                measured.stream().map(b -> ThroughputScenario.round3(b.seconds())).toList(),
                ThroughputScenario.round3(seedSeconds));
    }

    private GrowthPointRun.Result applyInChild(Path dir, PipelineSpec spec, Path batches, long historyRows)
            throws IOException, InterruptedException {
        Path log = dir.resolve("child.log");
        List<String> command = JavaCommand.of("-cp", System.getProperty("java.class.path"), GrowthPointRun.class.getName(),
                dir.resolve("pipeline.yaml").toString(), batches.toString());
        Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        GrowthPointRun.Result result = null;
        int total = sizes.growthMeasuredBatches() + 1;
        try (Progress.Phase phase = progress.start(String.format("growth: %,d-row batches on %,d history rows",
                sizes.growthBatchRows(), historyRows), total, "batches");
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals(GrowthPointRun.PROGRESS)) {
                    phase.advance(1);
                } else if (line.startsWith(GrowthPointRun.RESULT)) {
                    result = GrowthPointRun.JSON.readValue(line.substring(GrowthPointRun.RESULT.length()),
                            GrowthPointRun.Result.class);
                }
            }
        } finally {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        int exit = child.waitFor();
        if (exit != 0 || result == null) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("growth: the child JVM for " + historyRows + " history rows failed (exit " + exit
                    + "): " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return result;
    }
}
