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
        int growthMeasuredBatches) {

    public BenchSizes {
        growthHistoryRows = List.copyOf(growthHistoryRows);
    }

    public static BenchSizes full() {
        return new BenchSizes("full", 20, 50_000, Duration.ofSeconds(60), 1000, Duration.ofMillis(100),
                List.of(100_000L, 1_000_000L, 10_000_000L), 10_000, 3);
    }

    public static BenchSizes quick() {
        return new BenchSizes("quick", 20, 50_000, Duration.ofSeconds(10), 1000, Duration.ofMillis(100),
                List.of(100_000L, 1_000_000L), 10_000, 3);
    }

    /** For tests: every code path, in seconds. */
    public static BenchSizes tiny() {
        return new BenchSizes("tiny", 3, 2_000, Duration.ofSeconds(2), 100, Duration.ofMillis(100),
                List.of(3_000L, 30_000L), 500, 1);
    }

    public long throughputRows() {
        return (long) throughputFiles * throughputRowsPerFile;
    }
}
