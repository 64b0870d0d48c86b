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
import dev.changepipe.sql.SqlTemplate;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The same customer change files, all present at start, loaded three ways: by the engine's own bulk CSV
 * load (the physical limit), by the original project's MERGE logic (naive), and by changepipe end to end.
 */
final class ThroughputScenario {
    static final Instant LOGICAL_START = Instant.parse("2026-01-01T00:00:00Z");
    static final long SEED = 42;
    private static final SqlTemplate LIMIT = SqlTemplate.load(ThroughputScenario.class, "limit.sql");
    private static final SqlTemplate NAIVE_SCHEMA = SqlTemplate.load(ThroughputScenario.class, "naive_schema.sql");
    private static final SqlTemplate NAIVE = SqlTemplate.load(ThroughputScenario.class, "naive.sql");

    private final BenchSizes sizes;
    private final Progress progress;
    private final String engineBlock;
    private final boolean rescuedColumn;

    ThroughputScenario(BenchSizes sizes, Progress progress, String engineBlock) {
        this(sizes, progress, engineBlock, false);
    }

    /** {@code rescuedColumn}: changepipe reads the files with a column the spec lacks, whose values it rescues (rule 1.8). */
    ThroughputScenario(BenchSizes sizes, Progress progress, String engineBlock, boolean rescuedColumn) {
        this.sizes = sizes;
        this.progress = progress;
        this.engineBlock = engineBlock;
        this.rescuedColumn = rescuedColumn;
    }

    BenchReport.Throughput run(Path dir) throws Exception {
        long rows = sizes.throughputRows();
        // The built-in spec's folder layout: dir/landing holds the files every variant reads.
        Path specFile = BuiltInSpec.write(dir, Duration.ZERO, engineBlock);
        PipelineSpec spec = SpecLoader.load(specFile);
        generate(spec.landing());
        String files = spec.landing().resolve("customer_*.csv").toString();

        double limit;
        try (DuckDbSession db = DuckDbSession.open(dir.resolve("limit.duckdb"));
                Progress.Phase phase = progress.start("limit: DuckDB read_csv into a table", db::progress)) {
            long started = System.nanoTime();
            db.run(LIMIT, Map.of(), Map.of("files", files));
            limit = seconds(started);
            check("limit", rows, db.queryLong("SELECT count(*) FROM customer_raw"));
            phase.outcome(rate(rows, limit));
        }

        double naive;
        try (DuckDbSession db = DuckDbSession.open(dir.resolve("naive.duckdb"));
                Progress.Phase phase = progress.start("naive: MERGE <>, history, truncate", db::progress)) {
            db.run(NAIVE_SCHEMA, Map.of(), Map.of());
            long started = System.nanoTime();
            db.run(NAIVE, Map.of(), Map.of("files", files));
            naive = seconds(started);
            phase.outcome(rate(rows, naive));
        }

        if (rescuedColumn) {
            // After the limit and the naive load, whose read_csv names the spec's columns only; not timed.
            addColumn(spec.landing());
        }
        Map<PipelineTask, Double> taskSeconds = new EnumMap<>(PipelineTask.class);
        double changepipe;
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(),
                        Clock.systemUTC());
                Progress.Phase phase = progress.start("changepipe: ingest, SCD1 + feed, SCD2", rows + 2, "steps")) {
            engine.prepare();
            PipelineListener listener = new PipelineListener() {
                @Override
                public void fileProcessed(LandedFile file, FileOutcome outcome) {
                    if (outcome instanceof FileOutcome.Loaded loaded) {
                        phase.advance(loaded.rowsLoaded());
                    }
                }

                @Override
                public void taskFinished(TaskRun run) {
                    if (TaskRun.SUCCEEDED.equals(run.status())) {
                        taskSeconds.merge(run.task(), Duration.between(run.started(), run.ended()).toNanos() / 1e9, Double::sum);
                        if (run.task() != PipelineTask.INGEST) {
                            phase.advance(1);
                        }
                    }
                }
            };
            PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), listener);
            long started = System.nanoTime();
            runner.runUntilIdle();
            changepipe = seconds(started);
            List<Object> counts = engine.query("""
                    SELECT (SELECT count(*) FROM customer_raw), (SELECT count(*) FROM customer_raw_rejects)""", List.of())
                    .rows().get(0);
            check("changepipe", rows, ((Number) counts.get(0)).longValue() + ((Number) counts.get(1)).longValue());
            phase.outcome(rate(rows, changepipe));
        }

        long limitRate = Math.round(rows / limit);
        long naiveRate = Math.round(rows / naive);
        long changepipeRate = Math.round(rows / changepipe);
        return new BenchReport.Throughput(rows, sizes.throughputFiles(), limitRate, naiveRate, changepipeRate,
                round3((double) changepipeRate / limitRate), round3((double) changepipeRate / naiveRate), round3(limit),
                round3(naive), round3(changepipe), round3(taskSeconds.getOrDefault(PipelineTask.INGEST, 0.0)),
                round3(taskSeconds.getOrDefault(PipelineTask.CURRENT, 0.0)),
                round3(taskSeconds.getOrDefault(PipelineTask.HISTORY, 0.0)));
    }

    private void generate(Path landing) throws Exception {
        GeneratorOptions options = new GeneratorOptions(sizes.throughputFiles(), sizes.throughputRowsPerFile(),
                Duration.ZERO, SEED, 0.6, 0.05, 0.05, 0.0, LOGICAL_START);
        try (Progress.Phase phase = progress.start("generating " + sizes.throughputFiles() + " files of "
                + String.format("%,d", sizes.throughputRowsPerFile()) + " rows", sizes.throughputFiles(), "files")) {
            new CustomerChangeGenerator(options).writeAll(landing, file -> phase.advance(1));
        }
    }

    /** Appends a column {@code loyalty_tier} to every file: a tier in two rows of three, NULL in the third. */
    private void addColumn(Path landing) throws IOException {
        try (Progress.Phase phase = progress.start("adding a column the spec lacks to every file", sizes.throughputFiles(),
                "files"); DirectoryStream<Path> files = Files.newDirectoryStream(landing, "customer_*.csv")) {
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file);
                List<String> widened = new ArrayList<>(lines.size());
                widened.add(lines.get(0) + ",loyalty_tier");
                for (int i = 1; i < lines.size(); i++) {
                    widened.add(lines.get(i) + (i % 3 == 0 ? "," : i % 3 == 1 ? ",gold" : ",silver"));
                }
                // Renamed into place with its old modification time, as the files were landed.
                Path temp = file.resolveSibling("." + file.getFileName());
                Files.write(temp, widened);
                Files.setLastModifiedTime(temp, Files.getLastModifiedTime(file));
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                phase.advance(1);
            }
        }
    }

    private static void check(String variant, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException("throughput: " + variant + " accounted for " + actual + " rows of " + expected);
        }
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static String rate(long rows, double seconds) {
        return String.format("%,d rows/s", Math.round(rows / seconds));
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
