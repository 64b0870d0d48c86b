package dev.changepipe.cli;

import dev.changepipe.cli.door.DoorOptions;
import dev.changepipe.cli.door.SqlDoor;
import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.CustomerSnapshotGenerator;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TableCounts;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.landing.s3.BucketClient;
import dev.changepipe.landing.s3.FolderShipper;
import dev.changepipe.landing.s3.LoopbackS3Server;
import dev.changepipe.landing.s3.S3LandingZone;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.Landing;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the built-in customer pipeline while a generator lands change files every second:",
                "customer_raw -> customer (SCD1) -> customer_history (SCD2), on the embedded engine.",
                "Writes DIR/pipeline.yaml and keeps its data under DIR, so you can query it afterwards."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "demo", paramLabel = "DIR", description = "Folder for the demo. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--seconds", defaultValue = "20", description = "How long files keep landing. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--rows", defaultValue = "1000", description = "Rows per file. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--s3", description = "The original flow on object storage, all in this process: generator -> DIR/outbox"
            + " -> ship -> an S3-compatible server on loopback (its bucket kept as files in DIR/s3) -> pipeline -> SCD1/SCD2.")
    boolean s3;

    @Option(names = "--snapshot", description = "Full dumps instead of change files (mode: snapshot): every file is the whole"
            + " customer table, and a customer a dump lacks is deleted at its time (docs/semantics.md section 7).")
    boolean snapshot;

    @Mixin
    DoorOptions door;

    @Option(names = "--linger", description = "Keep the pipeline's dashboard up after the demo, until Ctrl-C.")
    boolean linger;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        Changepipe.quietLogs();
        if (s3 && snapshot) {
            throw ChangepipeException.user("--snapshot: the snapshot demo lands its dumps in a folder; leave out --s3");
        }
        if (s3) {
            return objectStorageDemo();
        }
        PrintWriter out = command.commandLine().getOut();
        Path specFile = snapshot ? BuiltInSpec.writeSnapshots(dir) : writeSpec(dir);
        PipelineSpec spec = SpecLoader.load(specFile);
        RunCommand.refuseIfServed(spec);
        Lag lag = new Lag();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        out.println("changepipe demo: " + seconds + " s of customer " + (snapshot ? "dumps (" + rows + " customers, 2% leaving"
                + " and as many joining between two dumps" : "change files (" + rows + " rows each") + ", one per second) into "
                + spec.landing());
        out.println("pipeline spec: " + specFile + "   warehouse: " + spec.engine().path());
        out.flush();
        try (Engine engine = Engines.open(spec);
                LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(), Clock.systemUTC())) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
                    SqlDoor sqlDoor = startDoor(out, spec, engine)) {
                demo(out, spec, engine, landing, lag, live, endpoint, stop, failure, specFile);
            }
        }
        out.flush();
        return 0;
    }

    private void demo(PrintWriter out, PipelineSpec spec, Engine engine, LandingFolder landing, Lag lag, LivePipeline live,
            QueryEndpoint endpoint, AtomicBoolean stop, AtomicReference<Throwable> failure, Path specFile) throws Exception {
        printDashboard(out, endpoint);
        PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), ListenerGroup.of(lag, live));
        Thread pipeline = new Thread(() -> {
            try {
                runner.runContinuously(stop::get);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "pipeline");
        pipeline.start();
        GeneratorOptions options = snapshot
                ? new GeneratorOptions(seconds, rows, Duration.ofSeconds(1), 42, 0.05, 0.02, 0, 0,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS))
                : new GeneratorOptions(seconds, rows, Duration.ofSeconds(1), 42, 0.6, 0.05, 0.05, 0.002,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Thread generator = new Thread(() -> {
            try {
                if (snapshot) {
                    new CustomerSnapshotGenerator(options).writeAll(spec.landing(), file -> { });
                } else {
                    new CustomerChangeGenerator(options).writeAll(spec.landing(), file -> { });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "generator");
        generator.start();
        while (generator.isAlive() && failure.get() == null) {
            generator.join(500);
            progress(out, engine, spec, lag, true);
        }
        // Let the pipeline take the last file, then stop it and finish whatever is left.
        Thread.sleep(spec.schedule().settle().toMillis() + 300);
        stop.set(true);
        pipeline.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the demo failed: " + failure.get().getMessage(), failure.get());
        }
        runner.runUntilIdle();
        progress(out, engine, spec, lag, false);
        summary(out, engine, spec, lag, specFile);
        linger(out);
    }

    /**
     * The original project's flow with changepipe alone: the generator writes into a local folder, the
     * shipper (NiFi's part) uploads each file into a bucket of an S3-compatible server started here on
     * loopback, and the pipeline reads the bucket. The lag shown runs from a file's writing to the commit
     * of the history task that included it: the whole way.
     */
    private int objectStorageDemo() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        S3Uri landing = S3Uri.parse("s3://changepipe-demo/landing");
        Path outbox = Files.createDirectories(dir.resolve("outbox"));
        Map<String, Instant> written = new ConcurrentHashMap<>();
        Lag lag = new Lag(file -> written.getOrDefault(file.name(), file.lastModified()));
        AtomicInteger shipped = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean stopShipping = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (LoopbackS3Server server = LoopbackS3Server.start(dir.resolve("s3"))) {
            S3Settings settings = server.settings(Duration.ofMillis(250));
            Path specFile = BuiltInSpec.writeForBucket(dir, landing, settings);
            PipelineSpec spec = SpecLoader.load(specFile);
            RunCommand.refuseIfServed(spec);
            out.println("changepipe demo --s3: " + seconds + " s of customer change files (" + rows + " rows each, one per second):");
            out.println("generator -> " + outbox + " -> ship -> " + landing + " on " + server.endpoint()
                    + " (S3-compatible, in this process) -> pipeline");
            out.println("pipeline spec: " + specFile + "   warehouse: " + spec.engine().path());
            out.flush();
            try (BucketClient shipTo = BucketClient.open(landing, settings, server.credentials())) {
                shipTo.createBucketIfMissing();
                try (Engine engine = Engines.open(spec)) {
                    engine.prepare();
                    try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                            QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
                            SqlDoor sqlDoor = startDoor(out, spec, engine);
                            S3LandingZone zone = S3LandingZone.open(spec, engine, Clock.systemUTC(), server.credentials());
                            FolderShipper shipper = new FolderShipper(outbox, spec.pattern(), spec.schedule().settle(), shipTo,
                                    FolderShipper.After.DELETE, Clock.systemUTC(), file -> shipped.incrementAndGet())) {
                        printDashboard(out, endpoint);
                        PipelineRunner runner = new PipelineRunner(spec, engine, zone, Clock.systemUTC(), ListenerGroup.of(lag, live));
                        Thread pipeline = thread("pipeline", failure, () -> runner.runContinuously(stop::get));
                        Thread ship = thread("ship", failure, () -> shipper.shipContinuously(Duration.ofSeconds(1), stopShipping::get));
                        GeneratorOptions options = new GeneratorOptions(seconds, rows, Duration.ofSeconds(1), 42, 0.6, 0.05,
                                0.05, 0.002, Instant.now().truncatedTo(ChronoUnit.SECONDS));
                        Thread generator = thread("generator", failure, () -> new CustomerChangeGenerator(options)
                                .writeAll(outbox, file -> written.put(file.path().getFileName().toString(), Instant.now())));
                        while (generator.isAlive() && failure.get() == null) {
                            generator.join(500);
                            progress(out, engine, spec, lag, true, "shipped " + shipped.get() + " | ");
                        }
                        // Let the shipper take the last file and the pipeline list it, then stop both.
                        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (shipped.get() < written.size() && failure.get() == null && System.nanoTime() < deadline) {
                            Thread.sleep(100);
                        }
                        stopShipping.set(true);
                        ship.join();
                        Thread.sleep(settings.listEvery().toMillis() + 300);
                        stop.set(true);
                        pipeline.join();
                        if (failure.get() != null) {
                            throw new IllegalStateException("the demo failed: " + failure.get().getMessage(), failure.get());
                        }
                        runner.runUntilIdle();
                        progress(out, engine, spec, lag, false, "shipped " + shipped.get() + " | ");
                        out.println();
                        out.println("The bucket's objects are kept as files under " + dir.resolve("s3") + "; the S3 server stops with the demo.");
                        summary(out, engine, spec, lag, specFile);
                        linger(out);
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The dashboard's login link, printed once: it carries the endpoint's token. */
    /** The SQL door for the demo's pipeline, its connection line printed; null with --no-sql-door. */
    private SqlDoor startDoor(PrintWriter out, PipelineSpec spec, Engine engine) {
        if (!door.enabled()) {
            return null;
        }
        SqlDoor sqlDoor = SqlDoor.start(spec.engine().path(), engine, spec, door);
        out.println(sqlDoor.connectionLine());
        return sqlDoor;
    }

    private static void printDashboard(PrintWriter out, QueryEndpoint endpoint) {
        out.println("dashboard: " + endpoint.dashboardLink());
        out.flush();
    }

    /** With --linger, the dashboard stays up after the files stop landing, until Ctrl-C. */
    private void linger(PrintWriter out) throws InterruptedException {
        if (!linger) {
            out.println();
            out.println("The dashboard closes with the demo: --linger keeps it up, and run serves it for a running pipeline.");
            out.flush();
        } else {
            out.println();
            out.println("The dashboard stays up until Ctrl-C (--linger).");
            out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.start();
        return thread;
    }

    static Path writeSpec(Path dir) throws IOException {
        return BuiltInSpec.write(dir);
    }

    private static void progress(PrintWriter out, Engine engine, PipelineSpec spec, Lag lag, boolean live) {
        progress(out, engine, spec, lag, live, "");
    }

    private static void progress(PrintWriter out, Engine engine, PipelineSpec spec, Lag lag, boolean live, String prefix) {
        TableCounts c = engine.rowCounts();
        // File ids count the pipeline's ledger entries; the ledger read, as the pipeline runs on another thread.
        List<LedgerEntry> last = engine.ledger(LedgerQuery.latest(1));
        String line = prefix + String.format("files %d | raw %d rows | rejects %d | current %d | history %d | landing->history lag %s",
                last.isEmpty() ? 0 : last.get(0).fileId(), c.raw(), c.rejects(), c.current(), c.history(), lag.last());
        if (live) {
            out.print("\r" + line + "   ");
        } else {
            out.println("\r" + line + "   ");
        }
        out.flush();
    }

    private static void summary(PrintWriter out, Engine engine, PipelineSpec spec, Lag lag, Path specFile) {
        out.println();
        out.println("Landing -> history lag over " + lag.count() + " files: median " + lag.percentile(50) + ", max "
                + lag.percentile(100));
        out.println();
        if (spec.snapshots()) {
            // Deletes by absence: a customer the latest dump lacks has only closed versions, ended by the dump that lacked it.
            out.println("Customers the dumps stopped listing, deleted at the time of the first dump without them:");
            ResultFormat.TABLE.print(engine.query("""
                    SELECT count(*) AS customers_gone, min(end_time) AS first_gone, max(end_time) AS last_gone
                    FROM customer_history h
                    WHERE h.is_current = false AND h.end_time = (SELECT max(end_time) FROM customer_history x
                        WHERE x.customer_id = h.customer_id)
                      AND h.customer_id NOT IN (SELECT customer_id FROM customer)""", List.of()), out);
            out.println();
        }
        out.println("The customers with the most versions:");
        ResultFormat.TABLE.print(engine.query("""
                SELECT customer_id, count(*) AS versions, max(start_time) AS last_change
                FROM customer_history GROUP BY customer_id ORDER BY versions DESC, customer_id LIMIT 3""", List.of()), out);
        String s = "--spec " + specFile;
        out.println();
        out.println("Try:");
        out.println("  ./changepipe query " + s + " \"SELECT * FROM customer ORDER BY customer_id LIMIT 5\"");
        out.println("  ./changepipe history " + s + " 1");
        out.println("  ./changepipe query " + s + " \"SELECT _file, _line, column_name, reason FROM customer_raw_rejects\"");
        out.println("  ./changepipe query " + s + " \"SELECT * FROM customer_changes " + (spec.snapshots()
                ? "WHERE _change_type = 'delete' " : "") + "ORDER BY _commit_version DESC LIMIT 5\"");
        out.println("  ./changepipe status " + s);
        if (spec.landingZone() instanceof Landing.Folder folder) {
            out.println("  ./changepipe run " + s + "      # keep it running; ./changepipe generate --out "
                    + folder.path() + (spec.snapshots() ? " --snapshot" : "") + " --files 5 --every 1s   # in another terminal");
        }
    }

    /** Time from a file's landing (its last modification) to the commit of the history task that included it. */
    static final class Lag implements PipelineListener {
        private final List<Instant> pending = new ArrayList<>();
        private final List<Duration> lags = Collections.synchronizedList(new ArrayList<>());
        private final Function<LandedFile, Instant> landedAt;

        Lag() {
            this(LandedFile::lastModified);
        }

        /** @param landedAt when the lag of a file starts */
        Lag(Function<LandedFile, Instant> landedAt) {
            this.landedAt = landedAt;
        }

        @Override
        public void fileProcessed(LandedFile file, FileOutcome outcome) {
            if (outcome instanceof FileOutcome.Loaded) {
                pending.add(landedAt.apply(file));
            }
        }

        @Override
        public void taskFinished(TaskRun run) {
            if (run.task() == PipelineTask.HISTORY && TaskRun.SUCCEEDED.equals(run.status())) {
                pending.forEach(landed -> lags.add(Duration.between(landed, run.ended())));
                pending.clear();
            }
        }

        int count() {
            return lags.size();
        }

        String last() {
            synchronized (lags) {
                return lags.isEmpty() ? "-" : lags.get(lags.size() - 1).toMillis() + " ms";
            }
        }

        String percentile(int p) {
            List<Duration> sorted;
            synchronized (lags) {
                sorted = new ArrayList<>(lags);
            }
            if (sorted.isEmpty()) {
                return "-";
            }
            Collections.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index)).toMillis() + " ms";
        }
    }
}
