package dev.changepipe.cli;

import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.landing.LandingZones;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline: load files as they land, then apply them to the current (SCD1) and history (SCD2) tables.",
                "While it runs, query, status and history reach it through a loopback endpoint."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    SpecOption spec;

    @Option(names = "--once", description = "Process everything present, then exit (0 when no work is left).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        PipelineSpec pipeline = spec.load();
        refuseIfServed(pipeline);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "changepipe-shutdown");
        try (Engine engine = Engines.open(pipeline);
                QueryEndpoint endpoint = QueryEndpoint.start(Warehouse.endpointFolder(pipeline), engine, pipeline.tables())) {
            engine.prepare();
            try (LandingZone landing = LandingZones.open(pipeline, engine, Clock.systemUTC())) {
                return run(pipeline, engine, landing, endpoint, stop, hook);
            }
        } finally {
            stopped.countDown();
        }
    }

    private int run(PipelineSpec pipeline, Engine engine, LandingZone landing, QueryEndpoint endpoint, AtomicBoolean stop,
            Thread hook) throws InterruptedException {
        PipelineRunner runner = new PipelineRunner(pipeline, engine, landing, Clock.systemUTC(), PipelineListener.NONE);
        if (once) {
            runner.runUntilIdle();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("pipeline {} watching {} (query endpoint on 127.0.0.1:{}); Ctrl-C stops it",
                pipeline.name(), landing.location(), endpoint.port());
        runner.runContinuously(stop::get);
        LOG.info("pipeline {} stopped", pipeline.name());
        return 0;
    }

    /** One pipeline process per warehouse: a second one stops at once and says who holds it. */
    static void refuseIfServed(PipelineSpec pipeline) {
        EndpointFile.read(Warehouse.endpointFolder(pipeline)).ifPresent(holder -> {
            throw ChangepipeException.user("warehouse " + pipeline.engine().location() + " is in use by process "
                    + holder.pid() + " (since " + holder.since() + "); query, status and history reach it while it runs");
        });
    }
}
