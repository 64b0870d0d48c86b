package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.s3.BucketClient;
import dev.changepipe.landing.s3.FolderShipper;
import dev.changepipe.landing.s3.FolderShipper.After;
import dev.changepipe.landing.s3.FolderShipper.Shipped;
import dev.changepipe.spec.Durations;
import dev.changepipe.spec.S3Uri;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ship", mixinStandardHelpOptions = true,
        description = {"Upload the files of a local folder into a bucket, each exactly once:",
                "Apache NiFi's leg of the original flow (ListFile, FetchFile, PutS3Object).",
                "A file is taken once it has settled, never while its name starts with a dot.",
                "The local copy is deleted or archived only after the store confirmed the",
                "upload. A ledger in DIR/.changepipe-ship makes a restart upload nothing twice.",
                "Credentials come from the AWS provider chain (environment, profile)."})
final class ShipCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The local folder to ship.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "s3://BUCKET/PREFIX", description = "Where the files go.")
    String to;

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Keep shipping until Ctrl-C, looking at least this often (and whenever files land); without it, ship what is there and exit.")
    String every;

    @Option(names = "--after", defaultValue = "keep", paramLabel = "delete|archive|keep",
            description = "What becomes of a local file once shipped: deleted, moved to DIR/archive, or kept. Default: ${DEFAULT-VALUE}.")
    After after;

    @Option(names = "--pattern", defaultValue = "*", description = "Glob on file names. Default: ${DEFAULT-VALUE}.")
    String pattern;

    @Option(names = "--settle", defaultValue = "200ms",
            description = "Take a file once it has not changed for this long. Default: ${DEFAULT-VALUE}.")
    String settle;

    @Mixin
    S3Options s3;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        S3Uri uri = S3Options.uri("--to", to);
        Duration settleTime = duration("--settle", settle);
        Duration interval = every == null ? null : duration("--every", every);
        PrintWriter out = command.commandLine().getOut();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        try (BucketClient bucket = BucketClient.open(uri, s3.settings())) {
            bucket.check();
            try (FolderShipper shipper = new FolderShipper(from, pattern, settleTime, bucket, after, Clock.systemUTC(), file -> {
                out.println("shipped " + file.name() + " -> " + file.location() + " (" + file.size() + " bytes)");
                out.flush();
            })) {
                if (interval == null) {
                    long started = System.nanoTime();
                    List<Shipped> shipped = shipper.shipUntilIdle();
                    out.printf("shipped %d files (%d bytes) from %s to %s in %.1f s%n", shipped.size(),
                            shipped.stream().mapToLong(Shipped::size).sum(), from, uri, (System.nanoTime() - started) / 1e9);
                    out.flush();
                    return 0;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stop.set(true);
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "changepipe-ship-shutdown"));
                shipper.shipContinuously(interval, stop::get);
                return 0;
            }
        } finally {
            stopped.countDown();
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user(option + ": " + e.getMessage());
        }
    }
}
