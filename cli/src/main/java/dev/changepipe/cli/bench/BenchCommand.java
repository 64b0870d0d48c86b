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
                "original project's naive MERGE, landing-to-history latency of a live run, and the cost of one batch",
                "as the history grows. Generates its own data (fixed seed) in a temporary folder that it removes.",
                "See docs/performance.md for the method and the latest figures."})
public final class BenchCommand implements Callable<Integer> {
    private static final List<String> SCENARIOS = List.of("throughput", "latency", "growth");
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

    @Option(names = "--scenario", defaultValue = "all", paramLabel = "throughput|latency|growth|all",
            description = "What to measure. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--quick", description = "Smaller runs (10 s of latency, growth up to 1M history rows): under 5 minutes.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR", description = "Also write PNG charts (throughput, latency, growth) into DIR.")
    Path plot;

    /** Seconds-long runs whose figures mean nothing: keeps the command working in tests. */
    @Option(names = "--tiny", hidden = true)
    boolean tiny;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        if (!ENGINE_BLOCKS.containsKey(engine)) {
            throw ChangepipeException.user("--engine: unknown engine '" + engine + "'; use duckdb or spark");
        }
        if (!scenario.equals("all") && !SCENARIOS.contains(scenario)) {
            throw ChangepipeException.user("--scenario: unknown scenario '" + scenario + "'; use throughput, latency, growth or all");
        }
        if (engine.equals("spark") && scenario.equals("growth")) {
            throw ChangepipeException.user("--scenario growth: the growth scenario seeds its history straight into a DuckDB"
                    + " file, so it runs on --engine duckdb only; use throughput or latency");
        }
        Engines.require(engine);
        String engineBlock = ENGINE_BLOCKS.get(engine);
        Changepipe.quietLogs();
        BenchSizes sizes = tiny ? BenchSizes.tiny() : quick ? BenchSizes.quick() : BenchSizes.full();
        PrintWriter out = command.commandLine().getOut();
        Progress progress = new Progress(out, System.console() != null);
        BenchReport.Machine machine = machine();
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path work = Files.createTempDirectory("changepipe-bench-");
        out.printf("changepipe bench: engine %s, %d cores, %s sizes; data in %s (removed at the end)%n", engine,
                machine.cores(), sizes.name(), work);
        out.flush();
        BenchReport.Throughput throughput = null;
        BenchReport.Latency latency = null;
        BenchReport.Growth growth = null;
        try {
            if (runs("throughput")) {
                throughput = new ThroughputScenario(sizes, progress, engineBlock).run(work.resolve("throughput"));
                deleteRecursively(work.resolve("throughput"));
            }
            if (runs("latency")) {
                latency = new LatencyScenario(sizes, progress, engineBlock).run(work.resolve("latency"));
                deleteRecursively(work.resolve("latency"));
            }
            if (runs("growth") && engine.equals("duckdb")) {
                growth = new GrowthScenario(sizes, progress).run(work.resolve("growth"));
            }
        } finally {
            deleteRecursively(work);
        }
        BenchReport report = new BenchReport(engine, machine.cores(), quick, sizes.name(), startedAt, machine, throughput,
                latency, growth, targets(throughput, latency, growth));
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

    /** The targets of the benchmark's issue; the benchmark reports them, nothing fails on them. */
    static List<BenchReport.Target> targets(BenchReport.Throughput t, BenchReport.Latency l, BenchReport.Growth g) {
        List<BenchReport.Target> targets = new ArrayList<>();
        if (t != null) {
            targets.add(new BenchReport.Target("throughput", "changepipe/limit", ">= 0.33", t.vsLimit(), t.vsLimit() >= 0.33));
            targets.add(new BenchReport.Target("throughput", "changepipe/naive", ">= 1.0", t.vsNaive(), t.vsNaive() >= 1.0));
        }
        if (l != null) {
            targets.add(new BenchReport.Target("latency", "p50 ms", "< 250", l.p50Ms(), l.p50Ms() < 250));
            targets.add(new BenchReport.Target("latency", "p99 ms", "< 1000", l.p99Ms(), l.p99Ms() < 1000));
            targets.add(new BenchReport.Target("latency", "backlog files", "= 0", l.backlogFiles(), l.backlogFiles() == 0));
        }
        if (g != null) {
            targets.add(new BenchReport.Target("growth", "largest/smallest", "<= 2.0", g.ratio(), g.ratio() <= 2.0));
            targets.add(new BenchReport.Target("growth", "peak RSS MB", "< 1024", g.maxPeakRssMb(), g.maxPeakRssMb() < 1024));
        }
        return targets;
    }

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
