package dev.changepipe.cli.bench;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import dev.changepipe.sql.SqlTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ledger's share of a load as it grows: small files loaded one at a time into a warehouse whose
 * ledger was seeded with each size of {@link BenchSizes#ledgerFiles()}. Each load looks its file's name
 * up among every entry and writes one more, so a lookup that scans the ledger shows here.
 */
final class LedgerScenario {
    private static final SqlTemplate SEED = SqlTemplate.load(LedgerScenario.class, "ledger_seed.sql");
    private static final int ROWS_PER_FILE = 100;

    private final BenchSizes sizes;
    private final Progress progress;

    LedgerScenario(BenchSizes sizes, Progress progress) {
        this.sizes = sizes;
        this.progress = progress;
    }

    BenchReport.LedgerGrowth run(Path dir) throws Exception {
        Path generated = dir.resolve("generated");
        // One warm-up load, then the timed ones.
        new CustomerChangeGenerator(new GeneratorOptions(sizes.ledgerLoads() + 1, ROWS_PER_FILE, Duration.ZERO,
                ThroughputScenario.SEED, 0.6, 0.05, 0.05, 0.0, ThroughputScenario.LOGICAL_START)).writeAll(generated, f -> { });
        List<BenchReport.LedgerPoint> points = new ArrayList<>();
        for (long files : sizes.ledgerFiles()) {
            Path pointDir = dir.resolve("ledger-" + files);
            points.add(point(pointDir, files, generated));
            BenchCommand.deleteRecursively(pointDir);
        }
        double ratio = points.get(points.size() - 1).msPerFile() / points.get(0).msPerFile();
        return new BenchReport.LedgerGrowth(ROWS_PER_FILE, points, ThroughputScenario.round3(ratio));
    }

    private BenchReport.LedgerPoint point(Path dir, long ledgerFiles, Path generated) throws Exception {
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir, Duration.ZERO));
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
        }
        try (DuckDbSession db = DuckDbSession.open(spec.engine().path().resolve("warehouse.duckdb"));
                Progress.Phase phase = progress.start(String.format("ledger: seeding %,d files", ledgerFiles), db::progress)) {
            db.run(SEED, Map.of(), Map.of("files", ledgerFiles, "pipeline", spec.name()));
        }
        List<Path> files;
        try (var listing = Files.list(generated)) {
            files = listing.sorted().toList();
        }
        List<Double> loadMs = new ArrayList<>();
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC());
                Progress.Phase phase = progress.start(String.format("ledger: loading files one at a time after %,d",
                        ledgerFiles), files.size(), "files")) {
            engine.prepare();
            for (Path file : files) {
                Files.copy(file, spec.landing().resolve(file.getFileName()));
                List<LandedFile> ready = landing.readyFiles();
                if (ready.size() != 1) {
                    throw new IllegalStateException("ledger: expected one ready file, found " + ready.size());
                }
                long started = System.nanoTime();
                FileOutcome outcome = engine.load(ready.get(0));
                double ms = (System.nanoTime() - started) / 1e6;
                if (!(outcome instanceof FileOutcome.Loaded)) {
                    throw new IllegalStateException("ledger: " + file.getFileName() + " was not loaded: " + outcome);
                }
                Files.delete(spec.landing().resolve(file.getFileName()));
                loadMs.add(Math.round(ms * 100) / 100.0);
                phase.advance(1);
            }
        }
        List<Double> timed = loadMs.subList(1, loadMs.size());
        double median = timed.stream().sorted().toList().get(timed.size() / 2);
        return new BenchReport.LedgerPoint(ledgerFiles, median, List.copyOf(timed));
    }
}
