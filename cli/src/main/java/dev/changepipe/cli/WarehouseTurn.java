package dev.changepipe.cli;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.WarehouseInUseException;
import dev.changepipe.spec.Durations;
import dev.changepipe.spec.PipelineSpec;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code run} opens its warehouse: while a one-off command ({@code query}, {@code status}, {@code history},
 * {@code files}, {@code feed}) has the file open, it waits for that command to finish, up to a bound, and past it says
 * what holds the file. A running pipeline is never waited for: it is refused at once, as before the wait.
 */
record WarehouseTurn(Duration bound) {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseTurn.class);
    /** A one-off command holds the file for well under a second; a quarter of one is a small price per retry. */
    static final Duration POLL = Duration.ofMillis(250);

    /** The pipeline's engine, opened once no other process has the warehouse open. */
    Engine open(PipelineSpec pipeline) throws InterruptedException {
        long started = System.nanoTime();
        // Logged once per holder: a second one-off command may take the file between two attempts.
        OptionalLong announced = null;
        while (true) {
            try {
                return Engines.open(pipeline);
            } catch (WarehouseInUseException e) {
                // The holder may be a pipeline that started meanwhile: that one is refused, not waited for.
                RunCommand.refuseIfServed(pipeline);
                WarehouseHolder holder = e.holderPid().isPresent() ? WarehouseHolder.of(e.holderPid().getAsLong()) : null;
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (waited.compareTo(bound) >= 0) {
                    throw new ChangepipeException(e.category(), "warehouse " + e.warehouse() + " is still open in "
                            + (holder == null ? "another process" : holder.describe()) + " after "
                            + Durations.format(bound) + " (DuckDB lets one process open the file); run waits that long"
                            + " for a one-off query, status, history or files to finish (--wait-for-warehouse)", e);
                }
                if (!e.holderPid().equals(announced)) {
                    announced = e.holderPid();
                    LOG.info("warehouse {} is open in {}; waiting up to {} for it to close", e.warehouse(),
                            holder == null ? "another process" : holder.describe(), Durations.format(bound));
                }
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, bound.minus(waited).toMillis())));
            }
        }
    }
}
