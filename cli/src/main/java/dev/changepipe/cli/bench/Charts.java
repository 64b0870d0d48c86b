package dev.changepipe.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a benchmark report, one per scenario that ran, so a reader can look instead of read. */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private Charts() {}

    /** Writes one chart per scenario present into {@code dir} (throughput.png, latency.png, ...); returns them. */
    static List<Path> write(BenchReport report, Path dir) throws IOException {
        // No display is needed to draw into an image.
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        String machine = report.engine() + ", " + report.cores() + " cores";
        if (report.throughput() != null) {
            written.add(save(throughput(report.throughput(), machine), dir.resolve("throughput.png")));
        }
        if (report.latency() != null) {
            written.add(save(latency(report.latency(), machine), dir.resolve("latency.png")));
            written.add(save(latencyOverTime(report.latency(), machine), dir.resolve("latency-over-time.png")));
        }
        if (report.sustained() != null) {
            written.add(save(sustained(report.sustained(), machine), dir.resolve("sustained.png")));
        }
        if (report.growth() != null) {
            written.add(save(growth(report.growth(), machine), dir.resolve("growth.png")));
        }
        if (report.ledger() != null) {
            written.add(save(ledger(report.ledger(), machine), dir.resolve("ledger.png")));
        }
        return written;
    }

    private static CategoryChart throughput(BenchReport.Throughput t, String machine) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Throughput: %,d rows in %d files (%s)", t.rows(), t.files(), machine))
                .xAxisTitle("").yAxisTitle("rows per second").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("rows/s", List.of("limit: read_csv", "naive: MERGE <>",
                String.format(Locale.ROOT, "changepipe (%.2f x limit, %.2f x naive)", t.vsLimit(), t.vsNaive())),
                List.of(t.limitRowsPerS(), t.naiveRowsPerS(), t.changepipeRowsPerS()));
        return chart;
    }

    /** The latency of every file, sorted: the curve's height at x% is the x-th percentile. */
    private static XYChart latency(BenchReport.Latency l, String machine) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Landing -> history latency, %d files of %,d rows every %s ms (%s)",
                        l.files(), l.rowsPerFile(), BenchTable.millis(l.everyMs()), machine))
                .xAxisTitle("share of files (%)").yAxisTitle("latency (ms)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(100.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisMin(0.0);
        List<Double> share = new ArrayList<>();
        List<Long> values = l.sortedLatenciesMs();
        for (int i = 0; i < values.size(); i++) {
            share.add(100.0 * (i + 1) / values.size());
        }
        XYSeries files = chart.addSeries(String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms",
                l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs()), share, values);
        files.setMarker(SeriesMarkers.NONE);
        // The targets as two points: the curve should pass below both.
        XYSeries target = chart.addSeries("targets: p50 < 250 ms, p99 < 1,000 ms", List.of(50.0, 99.0),
                List.of(250.0, 1000.0));
        target.setMarker(SeriesMarkers.DIAMOND);
        target.setLineStyle(SeriesLines.NONE);
        return chart;
    }

    /** Each file's latency at the moment it landed: a backlog that grows shows as a rising line. */
    private static XYChart latencyOverTime(BenchReport.Latency l, String machine) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Latency by landing time, a %,d-row file every %s ms (%s)",
                        l.rowsPerFile(), BenchTable.millis(l.everyMs()), machine))
                .xAxisTitle("landed at (s after the first file)").yAxisTitle("latency (ms)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        XYSeries files = chart.addSeries(String.format(Locale.ROOT, "one point per file; backlog %d files",
                l.backlogFiles()), l.byLanding().stream().map(BenchReport.FileLatency::landedS).toList(),
                l.byLanding().stream().map(BenchReport.FileLatency::latencyMs).toList());
        files.setLineStyle(SeriesLines.NONE);
        files.setMarker(SeriesMarkers.CIRCLE);
        double last = l.byLanding().isEmpty() ? 1 : l.byLanding().get(l.byLanding().size() - 1).landedS();
        XYSeries target = chart.addSeries("p99 target: 1,000 ms", List.of(0.0, last), List.of(1000.0, 1000.0));
        target.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** p50 and p99 at each arrival rate tried, against the one-second line a held rate stays under. */
    private static XYChart sustained(BenchReport.Sustained s, String machine) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Sustained rate: highest held %,d rows/s, %.0f s per rate (%s)",
                        s.heldRowsPerS(), s.secondsPerRate(), machine))
                .xAxisTitle("arrival rate (rows per second)").yAxisTitle("latency (ms)").build();
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<BenchReport.Latency> byRate = s.rates().stream()
                .sorted(java.util.Comparator.comparingLong(BenchReport.Latency::arrivalRowsPerS)).toList();
        List<Long> rates = byRate.stream().map(BenchReport.Latency::arrivalRowsPerS).toList();
        chart.addSeries("p50", rates, byRate.stream().map(BenchReport.Latency::p50Ms).toList());
        chart.addSeries("p99", rates, byRate.stream().map(BenchReport.Latency::p99Ms).toList());
        XYSeries line = chart.addSeries("held while p99 < 1,000 ms and no backlog", List.of(0L, rates.get(rates.size() - 1)),
                List.of(1000.0, 1000.0));
        line.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static XYChart ledger(BenchReport.LedgerGrowth ledger, String machine) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "One %,d-row file's load vs ledger size: largest/smallest %.2f (%s)",
                        ledger.rowsPerFile(), ledger.ratio(), machine))
                .xAxisTitle("files in the ledger").yAxisTitle("ms per file").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("ms per file", ledger.points().stream().map(BenchReport.LedgerPoint::ledgerFiles).toList(),
                ledger.points().stream().map(BenchReport.LedgerPoint::msPerFile).toList());
        return chart;
    }

    private static XYChart growth(BenchReport.Growth g, String machine) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "One %,d-row batch vs history size: largest/smallest %.2f (%s)",
                        g.batchRows(), g.ratio(), machine))
                .xAxisTitle("history rows").yAxisTitle("seconds per batch").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        List<Long> rows = g.points().stream().map(BenchReport.GrowthPoint::historyRows).toList();
        chart.addSeries("seconds per batch", rows, g.points().stream().map(BenchReport.GrowthPoint::secondsPerBatch).toList());
        chart.addSeries("of which history task", rows,
                g.points().stream().map(BenchReport.GrowthPoint::historySeconds).toList());
        // Memory on its own axis, to the right.
        XYSeries rss = chart.addSeries("peak RSS (MB, right axis)", rows,
                g.points().stream().map(BenchReport.GrowthPoint::peakRssMb).toList());
        rss.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "peak RSS (MB)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        return chart;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
