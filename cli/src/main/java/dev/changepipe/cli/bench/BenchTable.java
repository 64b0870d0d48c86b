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
            out.println(f("Latency: %d files of %,d rows, one every %s ms, landing -> committed in history", l.files(),
                    l.rowsPerFile(), millis(l.everyMs())));
            out.println(f("  p50 %d ms   p95 %d ms   p99 %d ms   max %d ms   backlog %d files", l.p50Ms(), l.p95Ms(),
                    l.p99Ms(), l.maxMs(), l.backlogFiles()));
            out.println(f("  settle %d ms; %d cycles, each on average: ingest %.0f ms, current %.0f ms, history %.0f ms"
                    + " (%.0f ms of task time; the largest took %,d rows)", l.settleMs(), l.cycles(), l.ingestMsMean(),
                    l.currentMsMean(), l.historyMsMean(), l.cycleMsMean(), l.maxRowsPerCycle()));
        }
        BenchReport.Sustained s = r.sustained();
        if (s != null) {
            out.println();
            out.println(f("Sustained rate: %,d-row files, %.0f s per rate, the rate doubled while held and halved while not"
                    + " (held: backlog 0 and p99 under 1 s)", s.rowsPerFile(), s.secondsPerRate()));
            out.println(f("  %10s %10s %8s %8s %8s %8s %10s  %s", "rows/s", "files/s", "p50 ms", "p99 ms", "max ms", "backlog",
                    "cycle ms", ""));
            for (BenchReport.Latency rate : s.rates()) {
                out.println(f("  %,10d %10.1f %8d %8d %8d %8d %10.0f  %s", rate.arrivalRowsPerS(), 1000 / rate.everyMs(),
                        rate.p50Ms(), rate.p99Ms(), rate.maxMs(), rate.backlogFiles(), rate.cycleMsMean(),
                        rate.held() ? "held" : "not held"));
            }
            out.println(f("  highest rate held: %,d rows/s", s.heldRowsPerS()));
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
        BenchReport.LedgerGrowth ledger = r.ledger();
        if (ledger != null) {
            out.println();
            out.println(f("Ledger growth: one %,d-row file per load (median of the timed loads) after a seeded ledger",
                    ledger.rowsPerFile()));
            for (BenchReport.LedgerPoint p : ledger.points()) {
                out.println(f("  %,13d files in the ledger  %8.2f ms per file", p.ledgerFiles(), p.msPerFile()));
            }
            out.println(f("  largest/smallest %.2f", ledger.ratio()));
        }
        BenchReport.Snapshots snapshots = r.snapshots();
        if (snapshots != null) {
            out.println();
            out.println("Snapshots: full dumps landed one at a time, landing -> committed in history (mode: snapshot)");
            for (BenchReport.SnapshotSize p : snapshots.sizes()) {
                out.println(f("  %,11d keys  first %6.2f s  then %6.2f s per dump %s; the last: ingest %.2f s, current %.2f s,"
                        + " history %.2f s", p.keys(), p.firstSeconds(), p.secondsPerDump(), p.dumpSeconds(),
                        p.ingestSeconds(), p.currentSeconds(), p.historySeconds()));
            }
        }
        out.println();
        out.println("Targets");
        for (BenchReport.Target target : r.targets()) {
            out.println(f("  %-10s %-17s %-8s %10s  %s", target.scenario(), target.figure(), target.target(),
                    target.value() == Math.rint(target.value()) ? f("%,d", (long) target.value()) : f("%.2f", target.value()),
                    target.met() ? "met" : "MISSED"));
        }
    }

    /** Milliseconds as written in the summary and the charts: 100, 12.5. */
    static String millis(double ms) {
        return new java.math.BigDecimal(String.valueOf(ms)).stripTrailingZeros().toPlainString();
    }

    private static String f(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
