package dev.changepipe.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The highest arrival rate the pipeline keeps up with: the latency scenario's files at the latency
 * scenario's rate, then doubling it while it is held or halving it until it is, each rate for the same
 * time in a warehouse of its own. A rate is held when no backlog remains and p99 is under a second.
 * The figure is the highest rate held, so the true limit lies between it and the next one up.
 */
final class SustainedScenario {
    private final BenchSizes sizes;
    private final LatencyScenario latency;

    SustainedScenario(BenchSizes sizes, LatencyScenario latency) {
        this.sizes = sizes;
        this.latency = latency;
    }

    BenchReport.Sustained run(Path dir) throws Exception {
        List<BenchReport.Latency> rates = new ArrayList<>();
        long held = 0;
        Duration every = sizes.latencyEvery();
        Boolean rising = null;
        for (int step = 0; step < sizes.sustainedMaxSteps(); step++) {
            Path stepDir = dir.resolve("rate-" + step);
            BenchReport.Latency run = latency.run(stepDir, every, sizes.sustainedLength());
            BenchCommand.deleteRecursively(stepDir);
            rates.add(run);
            if (rising == null) {
                rising = run.held();
            }
            if (run.held()) {
                held = Math.max(held, run.arrivalRowsPerS());
            }
            if (run.held() != rising) {
                break;
            }
            every = rising ? every.dividedBy(2) : every.multipliedBy(2);
        }
        return new BenchReport.Sustained(sizes.latencyRowsPerFile(), sizes.sustainedLength().toSeconds(), rates, held);
    }
}
