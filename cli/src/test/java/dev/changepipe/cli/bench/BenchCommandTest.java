package dev.changepipe.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.Changepipe;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code bench} in-process at tiny sizes: every scenario, the JSON and the charts. No timing is asserted. */
class BenchCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run bench(String... args) {
        CommandLine cli = Changepipe.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void latencyWithADashboardPageOpenServesThePageEveryFilesEvents() {
        Run run = bench("--tiny", "--scenario", "latency", "--dashboard-page");
        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("a dashboard page open: (\\d+) events sent to it")
                .matcher(run.out());
        assertThat(sent.find()).as(run.out()).isTrue();
        BenchSizes tiny = BenchSizes.tiny();
        int files = (int) (tiny.latencyLength().toMillis() / tiny.latencyEvery().toMillis());
        // The snapshot, then for every file at least its own event and a summary: the page followed the whole run.
        assertThat(Long.parseLong(sent.group(1))).isGreaterThan(2L * files);
        assertThat(run.out()).contains("Latency");
    }

    @Test
    void ignoreNullUpdatesRunsTheBuiltInSpecWithTheOptionOn() throws Exception {
        PipelineSpec plain = SpecLoader.load(BuiltInSpec.write(dir.resolve("plain"), Duration.ZERO,
                BenchCommand.engineBlock("duckdb", false)));
        PipelineSpec filled = SpecLoader.load(BuiltInSpec.write(dir.resolve("filled"), Duration.ZERO,
                BenchCommand.engineBlock("duckdb", true)));
        assertThat(plain.ignoreNullUpdates()).isEmpty();
        assertThat(filled.ignoreNullUpdates()).isNotEmpty().isSubsetOf(filled.targetColumns());
        assertThat(filled.engine().options()).isEqualTo(plain.engine().options());
        Run run = bench("--tiny", "--scenario", "throughput", "--ignore-null-updates");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ignore_null_updates on").contains("Throughput");
    }

    @Test
    void latencyWithTheDoorClientQueriesThroughTheSqlDoorAndStops() {
        Run run = bench("--tiny", "--scenario", "latency", "--door-client");
        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.regex.Matcher used = java.util.regex.Pattern
                .compile("a Flight SQL client through the SQL door: (\\d+) queries, (\\d+) failed").matcher(run.out());
        assertThat(used.find()).as(run.out()).isTrue();
        // It queries at once, then every second: a run of any length made at least one query, and none failed.
        assertThat(Long.parseLong(used.group(1))).isPositive();
        assertThat(used.group(2)).isEqualTo("0");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the client stopped with the run").doesNotContain("bench-door-client");
    }

    @Test
    void quickAtTinySizesWritesEveryFigureAndTheCharts() throws Exception {
        Path json = dir.resolve("out.json");
        Path plots = dir.resolve("plots");
        Run run = bench("--quick", "--tiny", "--json", json.toString(), "--plot", plots.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Throughput", "Latency", "Sustained rate", "Growth", "Ledger growth", "Snapshots",
                "Targets", "changepipe/limit");

        JsonNode report = BenchCommand.JSON.readTree(json.toFile());
        assertThat(report.get("engine").asText()).isEqualTo("duckdb");
        assertThat(report.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(report.get("quick").asBoolean()).isTrue();

        JsonNode throughput = report.get("throughput");
        BenchSizes tiny = BenchSizes.tiny();
        assertThat(throughput.get("rows").asLong()).isEqualTo(tiny.throughputRows());
        for (String field : List.of("limit_rows_per_s", "naive_rows_per_s", "changepipe_rows_per_s")) {
            assertThat(throughput.get(field).asLong()).as(field).isPositive();
        }
        assertThat(throughput.get("vs_limit").asDouble()).isEqualTo(
                (double) throughput.get("changepipe_rows_per_s").asLong() / throughput.get("limit_rows_per_s").asLong(),
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(throughput.get("vs_naive").asDouble()).isPositive();

        JsonNode latency = report.get("latency");
        int files = (int) (tiny.latencyLength().toMillis() / tiny.latencyEvery().toMillis());
        assertThat(latency.get("files").asInt()).isEqualTo(files);
        long p50 = latency.get("p50_ms").asLong();
        long p95 = latency.get("p95_ms").asLong();
        long p99 = latency.get("p99_ms").asLong();
        long max = latency.get("max_ms").asLong();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(latency.get("backlog_files").asInt()).isBetween(0, files);
        assertThat(latency.get("cycle_ms_mean").asDouble()).isEqualTo(latency.get("ingest_ms_mean").asDouble()
                + latency.get("current_ms_mean").asDouble() + latency.get("history_ms_mean").asDouble(),
                org.assertj.core.data.Offset.offset(0.2));
        assertThat(latency.get("max_rows_per_cycle").asLong()).isBetween((long) tiny.latencyRowsPerFile(),
                (long) files * tiny.latencyRowsPerFile());

        // The rate doubles while it is held (or halves until it is), and the figure is the highest rate held.
        JsonNode sustained = report.get("sustained");
        JsonNode rates = sustained.get("rates");
        assertThat(rates.size()).isBetween(1, tiny.sustainedMaxSteps());
        boolean firstHeld = rates.get(0).get("held").asBoolean();
        long held = 0;
        for (int i = 0; i < rates.size(); i++) {
            JsonNode rate = rates.get(i);
            assertThat(rate.get("arrival_rows_per_s").asLong())
                    .isEqualTo(Math.round(tiny.latencyRowsPerFile() * 1000.0 / rate.get("every_ms").asDouble()));
            assertThat(rate.get("every_ms").asDouble()).isEqualTo(
                    tiny.latencyEvery().toMillis() * Math.pow(firstHeld ? 0.5 : 2, i), org.assertj.core.data.Offset.offset(0.001));
            assertThat(rate.get("held").asBoolean()).isEqualTo(rate.get("backlog_files").asInt() == 0
                    && rate.get("p99_ms").asLong() < 1000);
            if (i < rates.size() - 1) {
                assertThat(rate.get("held").asBoolean()).as("only the last rate may turn").isEqualTo(firstHeld);
            }
            if (rate.get("held").asBoolean()) {
                held = Math.max(held, rate.get("arrival_rows_per_s").asLong());
            }
        }
        assertThat(sustained.get("held_rows_per_s").asLong()).isEqualTo(held);

        JsonNode ledger = report.get("ledger");
        JsonNode ledgerPoints = ledger.get("points");
        assertThat(ledgerPoints).hasSize(tiny.ledgerFiles().size());
        for (int i = 0; i < ledgerPoints.size(); i++) {
            assertThat(ledgerPoints.get(i).get("ledger_files").asLong()).isEqualTo(tiny.ledgerFiles().get(i));
            assertThat(ledgerPoints.get(i).get("load_ms")).hasSize(tiny.ledgerLoads());
            assertThat(ledgerPoints.get(i).get("ms_per_file").asDouble()).isPositive();
        }
        assertThat(ledger.get("ratio").asDouble()).isEqualTo(ledgerPoints.get(1).get("ms_per_file").asDouble()
                / ledgerPoints.get(0).get("ms_per_file").asDouble(), org.assertj.core.data.Offset.offset(0.01));

        JsonNode growth = report.get("growth");
        assertThat(growth.get("batch_rows").asInt()).isEqualTo(tiny.growthBatchRows());
        JsonNode points = growth.get("points");
        assertThat(points).hasSize(tiny.growthHistoryRows().size());
        for (int i = 0; i < points.size(); i++) {
            JsonNode point = points.get(i);
            long historyRows = tiny.growthHistoryRows().get(i);
            assertThat(point.get("history_rows").asLong()).isEqualTo(historyRows);
            assertThat(point.get("current_rows").asLong()).isEqualTo(historyRows / 3);
            // The seeded changes plus the warm-up and timed batches, every row loaded.
            assertThat(point.get("raw_rows").asLong())
                    .isEqualTo(historyRows + (long) (tiny.growthMeasuredBatches() + 1) * tiny.growthBatchRows());
            assertThat(point.get("seconds_per_batch").asDouble()).isPositive();
            assertThat(point.get("peak_rss_mb").asLong()).isPositive();
        }
        assertThat(growth.get("ratio").asDouble()).isEqualTo(
                points.get(points.size() - 1).get("seconds_per_batch").asDouble() / points.get(0).get("seconds_per_batch").asDouble(),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.get("targets")).hasSize(9);

        JsonNode snapshotSizes = report.get("snapshots").get("sizes");
        assertThat(snapshotSizes).hasSize(tiny.snapshotKeys().size());
        JsonNode snapshots = snapshotSizes.get(0);
        assertThat(snapshots.get("keys").asLong()).isEqualTo(tiny.snapshotKeys().get(0));
        assertThat(snapshots.get("dump_seconds")).hasSize(tiny.snapshotDumps() - 1);
        assertThat(snapshots.get("first_seconds").asDouble()).isPositive();
        assertThat(snapshots.get("seconds_per_dump").asDouble()).isPositive();

        for (String chart : List.of("throughput.png", "latency.png", "latency-over-time.png", "sustained.png", "growth.png",
                "ledger.png")) {
            Path png = plots.resolve(chart);
            assertThat(png).exists();
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).as(chart).isGreaterThan(1000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        // The temporary data is gone.
        String workLine = run.out().lines().filter(l -> l.contains("data in ")).findFirst().orElseThrow();
        Path work = Path.of(workLine.replaceAll(".*data in (.*) \\(removed at the end\\)", "$1"));
        assertThat(work).doesNotExist();
    }

    @Test
    void oneScenarioLeavesTheOthersOut() throws Exception {
        Path json = dir.resolve("throughput.json");
        Run run = bench("--tiny", "--scenario", "throughput", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = BenchCommand.JSON.readTree(json.toFile());
        assertThat(report.get("quick").asBoolean()).isFalse();
        assertThat(report.has("throughput")).isTrue();
        assertThat(report.has("latency")).isFalse();
        assertThat(report.has("sustained")).isFalse();
        assertThat(report.has("growth")).isFalse();
        assertThat(report.has("ledger")).isFalse();
    }

    @Test
    void sparkWithoutItsModuleIsRefusedInOneLinePointingAtTheLauncher() {
        // The command line's own class path has no Spark: the launcher adds it when --engine spark is given.
        Run run = bench("--tiny", "--engine", "spark");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("engine 'spark' is not available")
                .contains("./changepipe launcher");
    }

    @Test
    void theGrowthScenarioIsRefusedOnSparkBeforeAnythingRuns() {
        Run run = bench("--tiny", "--engine", "spark", "--scenario", "growth");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("--scenario growth").contains("--engine duckdb only");
    }

    @Test
    void theLargeGrowthPointIsRefusedWithQuick() {
        Run run = bench("--quick", "--large", "--scenario", "growth");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("--large").contains("--quick");
    }

    @Test
    void theLargeGrowthPointComesLastAndHasTheLooserBound() {
        BenchSizes large = BenchSizes.full().withLargeGrowth();
        assertThat(large.growthHistoryRows()).containsExactly(100_000L, 1_000_000L, 10_000_000L, 50_000_000L);
        List<BenchReport.GrowthPoint> points = large.growthHistoryRows().stream()
                .map(rows -> new BenchReport.GrowthPoint(rows, rows, rows / 3, rows == 50_000_000L ? 0.42 : 0.3, 1, 1, 0, 0, 0,
                        List.of(), 0))
                .toList();
        List<BenchReport.Target> targets = BenchCommand.targets(null, null,
                new BenchReport.Growth(10_000, points, 1.4, 1), null);
        assertThat(targets).extracting(BenchReport.Target::figure).containsExactly("10M/smallest", "50M/smallest",
                "peak RSS MB");
        assertThat(targets.get(1).target()).isEqualTo("<= 1.5");
        assertThat(targets.get(1).value()).isEqualTo(1.4);
        assertThat(targets.get(1).met()).isTrue();
    }

    @Test
    void anUnknownScenarioIsAUserError() {
        Run run = bench("--scenario", "everything");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--scenario");
    }
}
