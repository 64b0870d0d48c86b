package dev.changepipe.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.changepipe.cli.Changepipe;
import dev.changepipe.engine.Engines;
import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the pipeline on this machine: throughput against the engine's own CSV load and the",
                "original project's naive MERGE, landing-to-history latency of a live run, the highest arrival rate it",
                "keeps up with, the cost of one batch as the history grows and of one file as the ledger grows, and the",
                "time per full dump of a snapshot pipeline.",
                "Generates its own data (fixed seed) in a temporary folder that it removes.",
                "See docs/performance.md for the method and the latest figures."})
public final class BenchCommand implements Callable<Integer> {
    private static final List<String> SCENARIOS = List.of("throughput", "latency", "sustained", "growth", "ledger", "snapshot");
    /** Scenarios that seed a DuckDB file directly. */
    private static final List<String> DUCKDB_ONLY = List.of("growth", "ledger");
    /** The built-in spec's engine block per {@code --engine}; Spark in local mode on every core of the machine. */
    private static final Map<String, String> ENGINE_BLOCKS = Map.of(
            "duckdb", "{type: duckdb, path: warehouse}",
            "spark", "{type: spark, path: warehouse, master: \"local[*]\"}");
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--engine", defaultValue = "duckdb", paramLabel = "duckdb|spark",
            description = "The engine to measure. Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--scenario", defaultValue = "all", paramLabel = "throughput|latency|sustained|growth|ledger|snapshot|all",
            description = "What to measure. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--quick", description = "Smaller runs (10 s per latency run, growth up to 1M history rows, ledger up to"
            + " 100k files, snapshots of 100k keys).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR", description = "Also write PNG charts, one per scenario, into DIR.")
    Path plot;

    @Option(names = "--large", description = "Add the growth scenario's point at 50M history rows (not with --quick):"
            + " several minutes more and about 6 GB of temporary disk.")
    boolean large;

    @Option(names = "--dashboard-page", description = "Latency and sustained runs with the dashboard served and one page"
            + " open on it (its event stream read as a browser does); compare with a run without for the dashboard's cost.")
    boolean dashboardPage;

    @Option(names = "--door-client", description = "Latency and sustained runs with the SQL door served and a Flight SQL"
            + " client querying the current table through it once a second, for the door's cost.")
    boolean doorClient;

    @Option(names = "--ignore-null-updates", description = "Throughput, latency and sustained runs with the built-in"
            + " spec's ignore_null_updates: true (docs/semantics.md rule 2.3); compare with a run without for its cost.")
    boolean ignoreNullUpdates;

    @Option(names = "--rescued-column", description = "The throughput run's files gain a column the spec lacks, whose"
            + " values changepipe rescues into the raw table's _rescued (docs/semantics.md rule 1.8); compare with a run"
            + " without for its cost. The limit and naive loads read the files without it.")
    boolean rescuedColumn;

    /** Seconds-long runs whose figures mean nothing: keeps the command working in tests. */
    @Option(names = "--tiny", hidden = true)
    boolean tiny;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    /**
     * The text the scenarios write as the built-in spec's engine line. {@code ignore_null_updates} rides on it as a
     * top-level line of its own, so that every scenario that writes the spec gets it.
     */
    static String engineBlock(String engine, boolean ignoreNullUpdates) {
        return ENGINE_BLOCKS.get(engine) + (ignoreNullUpdates ? "\nignore_null_updates: true" : "");
    }

    @Override
    public Integer call() throws Exception {
        if (!ENGINE_BLOCKS.containsKey(engine)) {
            throw ChangepipeException.user("--engine: unknown engine '" + engine + "'; use duckdb or spark");
        }
        if (!scenario.equals("all") && !SCENARIOS.contains(scenario)) {
            throw ChangepipeException.user("--scenario: unknown scenario '" + scenario + "'; use "
                    + String.join(", ", SCENARIOS) + " or all");
        }
        if (engine.equals("spark") && DUCKDB_ONLY.contains(scenario)) {
            throw ChangepipeException.user("--scenario " + scenario + ": the " + scenario + " scenario seeds its tables"
                    + " straight into a DuckDB file, so it runs on --engine duckdb only; use throughput, latency or sustained");
        }
        Engines.require(engine);
        String engineBlock = engineBlock(engine, ignoreNullUpdates);
        Changepipe.quietLogs();
        if (large && quick) {
            throw ChangepipeException.user("--large: the 50M-row growth point is part of a full run; leave out --quick");
        }
        BenchSizes sizes = tiny ? BenchSizes.tiny() : quick ? BenchSizes.quick() : BenchSizes.full();
        if (large && !tiny) {
            sizes = sizes.withLargeGrowth();
        }
        PrintWriter out = command.commandLine().getOut();
        Progress progress = new Progress(out, System.console() != null);
        BenchReport.Machine machine = machine();
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path work = Files.createTempDirectory("changepipe-bench-");
        out.printf("changepipe bench: engine %s, %d cores, %s sizes%s%s; data in %s (removed at the end)%n", engine,
                machine.cores(), sizes.name(), ignoreNullUpdates ? ", ignore_null_updates on" : "",
                rescuedColumn ? ", a rescued column" : "", work);
        out.flush();
        BenchReport.Throughput throughput = null;
        BenchReport.Latency latency = null;
        BenchReport.Sustained sustained = null;
        BenchReport.Growth growth = null;
        BenchReport.LedgerGrowth ledger = null;
        BenchReport.Snapshots snapshots = null;
        try {
            if (runs("throughput")) {
                throughput = new ThroughputScenario(sizes, progress, engineBlock, rescuedColumn)
                        .run(work.resolve("throughput"));
                deleteRecursively(work.resolve("throughput"));
            }
            if (runs("latency")) {
                latency = new LatencyScenario(sizes, progress, engineBlock, dashboardPage, doorClient).run(work.resolve("latency"));
                deleteRecursively(work.resolve("latency"));
            }
            if (runs("sustained")) {
                sustained = new SustainedScenario(sizes, new LatencyScenario(sizes, progress, engineBlock, dashboardPage, doorClient))
                        .run(work.resolve("sustained"));
                deleteRecursively(work.resolve("sustained"));
            }
            if (runs("growth") && engine.equals("duckdb")) {
                growth = new GrowthScenario(sizes, progress).run(work.resolve("growth"));
            }
            if (runs("ledger") && engine.equals("duckdb")) {
                ledger = new LedgerScenario(sizes, progress).run(work.resolve("ledger"));
            }
            if (runs("snapshot")) {
                snapshots = new SnapshotScenario(sizes, progress, engineBlock).run(work.resolve("snapshot"));
                deleteRecursively(work.resolve("snapshot"));
            }
        } finally {
            deleteRecursively(work);
        }
        BenchReport report = new BenchReport(engine, machine.cores(), quick, sizes.name(), startedAt, machine, throughput,
                latency, sustained, growth, ledger, snapshots, targets(throughput, latency, growth, ledger));
        out.println();
        BenchTable.print(report, out);
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JSON.writeValue(json.toFile(), report);
            out.println("figures written to " + json);
        }
        if (plot != null) {
            for (Path chart : Charts.write(report, plot)) {
                out.println("chart written to " + chart);
            }
        }
        out.flush();
        return 0;
    }

    private boolean runs(String name) {
        return scenario.equals("all") || scenario.equals(name);
    }

    /** The required targets of the benchmark's issue; the benchmark reports them, nothing fails on them. */
    static List<BenchReport.Target> targets(BenchReport.Throughput t, BenchReport.Latency l, BenchReport.Growth g,
            BenchReport.LedgerGrowth ledger) {
        List<BenchReport.Target> targets = new ArrayList<>();
        if (t != null) {
            targets.add(new BenchReport.Target("throughput", "changepipe/limit", ">= 0.35", t.vsLimit(), t.vsLimit() >= 0.35));
            targets.add(new BenchReport.Target("throughput", "changepipe/naive", ">= 0.6", t.vsNaive(), t.vsNaive() >= 0.6));
        }
        if (l != null) {
            targets.add(new BenchReport.Target("latency", "p50 ms", "< 250", l.p50Ms(), l.p50Ms() < 250));
            targets.add(new BenchReport.Target("latency", "p99 ms", "< 1000", l.p99Ms(), l.p99Ms() < 1000));
            targets.add(new BenchReport.Target("latency", "backlog files", "= 0", l.backlogFiles(), l.backlogFiles() == 0));
            targets.add(new BenchReport.Target("latency", "cycle task ms", "<= 150", l.cycleMsMean(), l.cycleMsMean() <= 150));
        }
        if (g != null) {
            double smallest = g.points().get(0).secondsPerBatch();
            for (BenchReport.GrowthPoint p : g.points().subList(1, g.points().size())) {
                // 1.3 up to the full run's largest size, 1.5 for the opt-in 50M point.
                double bound = p.historyRows() > 10_000_000L ? 1.5 : 1.3;
                double ratio = ThroughputScenario.round3(p.secondsPerBatch() / smallest);
                if (p.historyRows() >= 10_000_000L || p == g.points().get(g.points().size() - 1)) {
                    targets.add(new BenchReport.Target("growth", rowsText(p.historyRows()) + "/smallest", "<= " + bound,
                            ratio, ratio <= bound));
                }
            }
            long rssBound = DUCKDB_MEMORY_LIMIT_MB + 300;
            targets.add(new BenchReport.Target("growth", "peak RSS MB", "< " + rssBound, g.maxPeakRssMb(),
                    g.maxPeakRssMb() < rssBound));
        }
        if (ledger != null) {
            targets.add(new BenchReport.Target("ledger", "largest/smallest", "<= 1.5", ledger.ratio(), ledger.ratio() <= 1.5));
        }
        return targets;
    }

    /** 100k, 10M: a history size as the targets name it. */
    static String rowsText(long rows) {
        return rows >= 1_000_000 ? rows / 1_000_000 + "M" : rows >= 1_000 ? rows / 1_000 + "k" : String.valueOf(rows);
    }

    /** The embedded engine's default {@code engine.memory_limit}, which the benchmark's spec keeps: 2 GB. */
    static final long DUCKDB_MEMORY_LIMIT_MB = 2048;

    private static BenchReport.Machine machine() throws Exception {
        String cpu = "unknown";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            Matcher m = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$").matcher(Files.readString(cpuinfo));
            if (m.find()) {
                cpu = m.group(1).strip();
            }
        }
        long memoryMb = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 20;
        String duckdb;
        try (DuckDbSession db = DuckDbSession.inMemory()) {
            duckdb = db.queryString("SELECT version()");
        }
        return new BenchReport.Machine(cpu, Runtime.getRuntime().availableProcessors(), memoryMb,
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), duckdb);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
