package dev.changepipe.cli.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Everything one {@code changepipe bench} run measured; written as JSON with {@code --json} (snake_case
 * names). A scenario that was not run is absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"engine", "cores", "quick", "sizes", "started_at", "machine", "throughput", "latency", "sustained",
        "growth", "ledger", "snapshots", "targets"})
public record BenchReport(
        String engine,
        int cores,
        boolean quick,
        String sizes,
        String startedAt,
        Machine machine,
        Throughput throughput,
        Latency latency,
        Sustained sustained,
        Growth growth,
        LedgerGrowth ledger,
        Snapshots snapshots,
        List<Target> targets) {

    /** Where the figures were measured. */
    public record Machine(String cpu, int cores, long memoryMb, String os, String java, String duckdb) {}

    /**
     * The throughput scenario: the same files loaded three ways.
     *
     * @param rows rows in the files, all of which each variant loaded
     * @param vsLimit changepipe's rows/s over the engine's bulk CSV load
     * @param vsNaive changepipe's rows/s over the naive MERGE pipeline
     */
    public record Throughput(
            long rows,
            int files,
            long limitRowsPerS,
            long naiveRowsPerS,
            long changepipeRowsPerS,
            double vsLimit,
            double vsNaive,
            double limitSeconds,
            double naiveSeconds,
            double changepipeSeconds,
            double changepipeIngestSeconds,
            double changepipeCurrentSeconds,
            double changepipeHistorySeconds) {}

    /**
     * The latency scenario: from a file's rename into the landing folder to the commit of the history
     * task run that included it.
     *
     * @param files files landed
     * @param backlogFiles files not yet in the history table one second after the last one landed
     * @param settleMs the spec's {@code schedule.settle}: a file is taken once unchanged this long
     * @param cycles pipeline cycles that loaded files
     * @param ingestMsMean mean duration of a successful ingest run, likewise {@code currentMsMean} and {@code historyMsMean}
     * @param cycleMsMean the three means together: a cycle's task time
     * @param maxRowsPerCycle the most raw rows one cycle's history run took in
     * @param byLanding every file's latency in landing order, for the chart; not written to JSON
     */
    public record Latency(
            int files,
            long p50Ms,
            long p95Ms,
            long p99Ms,
            long maxMs,
            int backlogFiles,
            int rowsPerFile,
            double everyMs,
            double seconds,
            long settleMs,
            int cycles,
            double ingestMsMean,
            double currentMsMean,
            double historyMsMean,
            double cycleMsMean,
            long maxRowsPerCycle,
            @JsonIgnore List<FileLatency> byLanding) {

        /** Every file's latency, smallest first: the percentiles' and the sorted chart's input. */
        @JsonIgnore
        public List<Long> sortedLatenciesMs() {
            return byLanding.stream().map(FileLatency::latencyMs).sorted().toList();
        }

        /** Rows per second arriving: a file of {@code rowsPerFile} every {@code everyMs}. */
        @JsonProperty
        public long arrivalRowsPerS() {
            return Math.round(rowsPerFile * 1000.0 / everyMs);
        }

        /** The sustained-rate scenario's rule: nothing left behind and the 99th percentile under a second. */
        @JsonProperty
        public boolean held() {
            return backlogFiles == 0 && p99Ms < 1000;
        }
    }

    /** One landed file: seconds after the first landing, and its latency. */
    public record FileLatency(double landedS, long latencyMs) {}

    /**
     * The sustained-rate scenario: the latency scenario at rising arrival rates, each for the same time,
     * until one is not held.
     *
     * @param heldRowsPerS the highest arrival rate held (backlog 0, p99 under 1 s); 0 when none was
     */
    public record Sustained(int rowsPerFile, double secondsPerRate, List<Latency> rates, long heldRowsPerS) {}

    /**
     * The ledger-growth scenario: loading one small file at a time with a ledger seeded to each size.
     *
     * @param ratio the median per-file ingest time at the largest ledger over the smallest
     */
    public record LedgerGrowth(int rowsPerFile, List<LedgerPoint> points, double ratio) {}

    /** One ledger size: the median and every timed single-file load. */
    public record LedgerPoint(long ledgerFiles, double msPerFile, List<Double> loadMs) {}

    /**
     * The growth scenario: one change batch applied to history tables of growing size.
     *
     * @param ratio seconds per batch at the largest size over the smallest
     */
    public record Growth(int batchRows, List<GrowthPoint> points, double ratio, long maxPeakRssMb) {}

    /**
     * One size of the growth scenario, measured in a JVM of its own.
     *
     * @param secondsPerBatch the median of the timed batches (after one warm-up batch)
     * @param batchSeconds every timed batch
     * @param peakRssMb the child JVM's peak resident memory (VmHWM), seeding excluded
     */
    public record GrowthPoint(
            long historyRows,
            long rawRows,
            long currentRows,
            double secondsPerBatch,
            long peakRssMb,
            long peakHeapMb,
            double ingestSeconds,
            double currentSeconds,
            double historySeconds,
            List<Double> batchSeconds,
            double seedSeconds) {}

    /**
     * The snapshot scenario: full dumps of customers landed one at a time (docs/semantics.md §7).
     *
     * @param sizes one per dump size, smallest first
     */
    public record Snapshots(List<SnapshotSize> sizes) {}

    /**
     * One dump size.
     *
     * @param firstSeconds the first dump, which loads every key
     * @param secondsPerDump the median of the later dumps
     * @param dumpSeconds every later dump, in landing order: a rise shows a cost that grows with the dumps before
     * @param ingestSeconds the last dump's ingest, and its current and history tasks below
     */
    public record SnapshotSize(long keys, double firstSeconds, double secondsPerDump, List<Double> dumpSeconds,
            double ingestSeconds, double currentSeconds, double historySeconds) {}

    /** A target from the benchmark's issue and whether this run met it. */
    public record Target(String scenario, String figure, String target, double value, boolean met) {}
}
