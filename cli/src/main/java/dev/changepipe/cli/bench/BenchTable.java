package dev.changepipe.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable summary of a benchmark report. */
final class BenchTable {
    private BenchTable() {}

    static void print(BenchReport r, PrintWriter out) {
        out.println(f("changepipe bench (%s sizes) on %s: %s, %d cores, %,d MB; %s; DuckDB %s", r.sizes(),
                r.engine(), r.machine().cpu(), r.cores(), r.machine().memoryMb(), r.machine().java(), r.machine().duckdb()));
        BenchReport.Throughput t = r.throughput();
        if (t != null) {
            out.println();
            out.println(f("Throughput: %,d rows in %d files, all present at start", t.rows(), t.files()));
            out.println(f("  %-11s %9s %12s", "variant", "seconds", "rows/s"));
            out.println(f("  %-11s %9.2f %,12d   the engine's bulk CSV load into a plain table", "limit", t.limitSeconds(),
                    t.limitRowsPerS()));
            out.println(f("  %-11s %9.2f %,12d   the original MERGE logic, wrong on NULLs, duplicates and order", "naive",
                    t.naiveSeconds(), t.naiveRowsPerS()));
            out.println(f("  %-11s %9.2f %,12d   ingest %.2f s, current %.2f s, history %.2f s", "changepipe",
                    t.changepipeSeconds(), t.changepipeRowsPerS(), t.changepipeIngestSeconds(), t.changepipeCurrentSeconds(),
                    t.changepipeHistorySeconds()));
            out.println(f("  changepipe/limit %.2f   changepipe/naive %.2f", t.vsLimit(), t.vsNaive()));
        }
        BenchReport.Latency l = r.latency();
        if (l != null) {
            out.println();
            out.println(f("Latency: %d files of %,d rows, one every %d ms, landing -> committed in history", l.files(),
                    l.rowsPerFile(), l.everyMs()));
            out.println(f("  p50 %d ms   p95 %d ms   p99 %d ms   max %d ms   backlog %d files", l.p50Ms(), l.p95Ms(),
                    l.p99Ms(), l.maxMs(), l.backlogFiles()));
            out.println(f("  settle %d ms; %d cycles, each on average: ingest %.0f ms, current %.0f ms, history %.0f ms",
                    l.settleMs(), l.cycles(), l.ingestMsMean(), l.currentMsMean(), l.historyMsMean()));
        }
        BenchReport.Growth g = r.growth();
        if (g != null) {
            out.println();
            out.println(f("Growth: one %,d-row change batch (median of the timed batches) on a growing history", g.batchRows()));
            out.println(f("  %13s %9s %8s %8s %8s %9s %9s %8s", "history rows", "s/batch", "ingest", "current", "history",
                    "peak RSS", "peak heap", "seeding"));
            for (BenchReport.GrowthPoint p : g.points()) {
                out.println(f("  %,13d %9.3f %8.3f %8.3f %8.3f %6d MB %6d MB %6.1f s", p.historyRows(), p.secondsPerBatch(),
                        p.ingestSeconds(), p.currentSeconds(), p.historySeconds(), p.peakRssMb(), p.peakHeapMb(),
                        p.seedSeconds()));
            }
            out.println(f("  largest/smallest %.2f", g.ratio()));
        }
        out.println();
        out.println("Targets");
        for (BenchReport.Target target : r.targets()) {
            out.println(f("  %-10s %-17s %-8s %10s  %s", target.scenario(), target.figure(), target.target(),
                    target.value() == Math.rint(target.value()) ? f("%,d", (long) target.value()) : f("%.2f", target.value()),
                    target.met() ? "met" : "MISSED"));
        }
    }

    private static String f(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
