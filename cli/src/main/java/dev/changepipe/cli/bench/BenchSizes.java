package dev.changepipe.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much work each scenario does. {@link #full()} and {@link #quick()} are the published runs;
 * {@link #tiny()} only keeps the command working in tests, and its figures mean nothing.
 *
 * @param throughputFiles files of the throughput scenario, all present at start
 * @param throughputRowsPerFile rows in each of them
 * @param latencyLength how long files keep landing in the latency scenario
 * @param latencyRowsPerFile rows per landed file
 * @param latencyEvery the pause between two landings
 * @param growthHistoryRows the history table sizes the growth batch is applied to, smallest first
 * @param growthBatchRows rows in the growth scenario's change batch
 * @param growthMeasuredBatches batches timed at each size after one warm-up batch; the median is reported
 * @param sustainedLength how long each arrival rate of the sustained-rate scenario lasts
 * @param sustainedMaxSteps the most rates it tries, from {@code latencyEvery} halving the pause each time
 * @param ledgerFiles the ledger sizes the ledger-growth scenario seeds, smallest first
 * @param ledgerLoads single-file loads timed at each ledger size after one warm-up load
 * @param snapshotKeys the dump sizes of the snapshot scenario, in keys, smallest first
 * @param snapshotDumps dumps landed one at a time at each size; the first loads every key, the others are timed
 */
public record BenchSizes(
        String name,
        int throughputFiles,
        int throughputRowsPerFile,
        Duration latencyLength,
        int latencyRowsPerFile,
        Duration latencyEvery,
        List<Long> growthHistoryRows,
        int growthBatchRows,
        int growthMeasuredBatches,
        Duration sustainedLength,
        int sustainedMaxSteps,
        List<Long> ledgerFiles,
        int ledgerLoads,
        List<Long> snapshotKeys,
        int snapshotDumps) {

    public BenchSizes {
        growthHistoryRows = List.copyOf(growthHistoryRows);
        ledgerFiles = List.copyOf(ledgerFiles);
        snapshotKeys = List.copyOf(snapshotKeys);
    }

    public static BenchSizes full() {
        return new BenchSizes("full", 20, 50_000, Duration.ofSeconds(60), 1000, Duration.ofMillis(100),
                List.of(100_000L, 1_000_000L, 10_000_000L), 10_000, 3, Duration.ofSeconds(60), 6,
                List.of(1_000L, 1_000_000L), 30, List.of(100_000L, 1_000_000L), 4);
    }

    public static BenchSizes quick() {
        return new BenchSizes("quick", 20, 50_000, Duration.ofSeconds(10), 1000, Duration.ofMillis(100),
                List.of(100_000L, 1_000_000L), 10_000, 3, Duration.ofSeconds(10), 6, List.of(1_000L, 100_000L), 30,
                List.of(100_000L), 4);
    }

    /** For tests: every code path, in seconds. */
    public static BenchSizes tiny() {
        return new BenchSizes("tiny", 3, 2_000, Duration.ofSeconds(2), 100, Duration.ofMillis(100),
                List.of(3_000L, 30_000L), 500, 1, Duration.ofSeconds(1), 2, List.of(10L, 1_000L), 3, List.of(500L), 3);
    }

    /** The opt-in growth point ({@code --large}): 50M history rows, which take minutes to seed and gigabytes of disk. */
    public static final long LARGE_GROWTH_ROWS = 50_000_000L;

    /** These sizes with the growth scenario's 50M-row point added. */
    public BenchSizes withLargeGrowth() {
        List<Long> rows = new java.util.ArrayList<>(growthHistoryRows);
        rows.add(LARGE_GROWTH_ROWS);
        return new BenchSizes(name + "+large", throughputFiles, throughputRowsPerFile, latencyLength, latencyRowsPerFile,
                latencyEvery, rows, growthBatchRows, growthMeasuredBatches, sustainedLength, sustainedMaxSteps, ledgerFiles,
                ledgerLoads, snapshotKeys, snapshotDumps);
    }

    public long throughputRows() {
        return (long) throughputFiles * throughputRowsPerFile;
    }
}
