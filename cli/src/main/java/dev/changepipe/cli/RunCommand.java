package dev.changepipe.cli;

import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.cli.dashboard.MetricsToken;
import dev.changepipe.cli.door.DoorOptions;
import dev.changepipe.cli.door.SqlDoor;
import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.landing.LandingZones;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.Durations;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline: load files as they land, then apply them to the current (SCD1) and history (SCD2) tables.",
                "While it runs, query, status and history reach it through a loopback endpoint."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    SpecOption spec;

    @Spec
    CommandSpec command;

    @Option(names = "--once", description = "Process everything present, then exit (0 when no work is left).")
    boolean once;

    @Option(names = "--wait-for-warehouse", defaultValue = "30s", paramLabel = "DURATION",
            description = {"While a one-off query, status, history or files has the warehouse open, wait this long for"
                    + " it to finish before giving up (0s: not at all). A running pipeline is refused at once.",
                    "Default: ${DEFAULT-VALUE}."})
    String waitForWarehouse;

    @Mixin
    DoorOptions door;

    @Override
    public Integer call() throws Exception {
        WarehouseTurn turn = new WarehouseTurn(waitBound());
        PipelineSpec pipeline = spec.load();
        if (door.enabled()) {
            door.check();
        }
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
        try (Engine engine = turn.open(pipeline)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(pipeline, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(Warehouse.endpointFolder(pipeline), engine, pipeline, live);
                    // Not for --once, which ends as soon as the landed files are in: nobody could connect in time.
                    SqlDoor sqlDoor = once || !door.enabled() ? null
                            : SqlDoor.start(Warehouse.endpointFolder(pipeline), engine, pipeline, door);
                    LandingZone landing = LandingZones.open(pipeline, engine, Clock.systemUTC())) {
                return run(pipeline, engine, landing, endpoint, sqlDoor, live, stop, hook);
            }
        } finally {
            stopped.countDown();
        }
    }

    private int run(PipelineSpec pipeline, Engine engine, LandingZone landing, QueryEndpoint endpoint, SqlDoor sqlDoor,
            LivePipeline live, AtomicBoolean stop, Thread hook) throws InterruptedException {
        PipelineRunner runner = new PipelineRunner(pipeline, engine, landing, Clock.systemUTC(), live);
        if (once) {
            runner.runUntilIdle();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("pipeline {} watching {} (query endpoint on 127.0.0.1:{}); Ctrl-C stops it",
                pipeline.name(), landing.location(), endpoint.port());
        // Once: the link's code opens one browser, and `changepipe dashboard` gives more; the token itself is never printed.
        PrintWriter out = command.commandLine().getOut();
        out.println("dashboard: " + endpoint.dashboardLink());
        out.println("metrics:   http://127.0.0.1:" + endpoint.port() + "/metrics (Authorization: Bearer <"
                + MetricsToken.path(Warehouse.endpointFolder(pipeline)) + ">)");
        if (sqlDoor != null) {
            out.println(sqlDoor.connectionLine());
        }
        out.flush();
        runner.runContinuously(stop::get);
        LOG.info("pipeline {} stopped", pipeline.name());
        return 0;
    }

    private Duration waitBound() {
        try {
            Duration bound = Durations.parse(waitForWarehouse);
            if (bound.isNegative()) {
                throw new IllegalArgumentException("'" + waitForWarehouse + "' is negative");
            }
            return bound;
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user("--wait-for-warehouse: " + e.getMessage());
        }
    }

    /** One pipeline process per warehouse: a second one stops at once and says who holds it. */
    static void refuseIfServed(PipelineSpec pipeline) {
        EndpointFile.read(Warehouse.endpointFolder(pipeline)).ifPresent(holder -> {
            throw ChangepipeException.user("warehouse " + pipeline.engine().location() + " is in use by process "
                    + holder.pid() + " (since " + holder.since() + "); query, status and history reach it while it runs");
        });
    }
}
