package dev.changepipe.cli;

import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.CustomerSnapshotGenerator;
import dev.changepipe.cli.generate.GeneratedFile;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.s3.BucketClient;
import dev.changepipe.spec.Durations;
import dev.changepipe.spec.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write customer change files (customer_<yyyyMMddHHmmss>.csv) like the original project's generator:",
                "a stable population of customers that later files update and delete, late rows, and optionally dirty rows.",
                "Each file is written under a temporary name and renamed into place.",
                "With --snapshot: full dumps of the customer table instead (mode: snapshot), in which customers leave and join."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Folder to write into (created if missing), or a bucket prefix to upload each file into as soon as it is"
                    + " written (credentials from the AWS provider chain).")
    String out;

    @Mixin
    S3Options s3;

    @Option(names = "--files", defaultValue = "10", description = "Number of files. Default: ${DEFAULT-VALUE}.")
    int files;

    @Option(names = "--rows", defaultValue = "1000", description = "Rows per file. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--snapshot", description = "Write full dumps of the original project's eight columns: --rows customers in"
            + " the first, and between two dumps --delete-ratio of them leave, as many join, and --update-ratio of the rest"
            + " change (docs/semantics.md section 7).")
    boolean snapshot;

    @Option(names = "--every", defaultValue = "0s",
            description = "Wait between files (e.g. 1s, 500ms); 0s writes them all at once. Default: ${DEFAULT-VALUE}.")
    String every;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--update-ratio", defaultValue = "0.6", description = "Share of rows that update a customer. Default: ${DEFAULT-VALUE}.")
    double updateRatio;

    @Option(names = "--delete-ratio", defaultValue = "0.05", description = "Share of rows that delete a customer. Default: ${DEFAULT-VALUE}.")
    double deleteRatio;

    @Option(names = "--late-ratio", defaultValue = "0.05",
            description = "Share of updates that arrive late, with an older update_timestamp. Default: ${DEFAULT-VALUE}.")
    double lateRatio;

    @Option(names = "--dirty-ratio", defaultValue = "0",
            description = "Share of bad rows (bad types, missing key, broken quoting). Default: ${DEFAULT-VALUE}.")
    double dirtyRatio;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Logical start time of names and update_timestamps (e.g. 2026-01-01T00:00:00Z); default: now. "
                    + "The same seed and start write byte-identical files.")
    Instant start;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        Duration pause;
        try {
            pause = Durations.parse(every);
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user("--every: " + e.getMessage());
        }
        GeneratorOptions options;
        try {
            options = new GeneratorOptions(files, rows, pause, seed, updateRatio, deleteRatio, lateRatio, dirtyRatio,
                    start == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : start);
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user(e.getMessage());
        }
        PrintWriter stdout = command.commandLine().getOut();
        if (out.startsWith(S3Uri.SCHEME)) {
            return generateInto(S3Options.uri("--out", out), options, stdout);
        }
        Path folder = Path.of(out);
        Files.createDirectories(folder);
        List<GeneratedFile> written = writeAll(options, folder, file -> report(stdout, file.path().toString(), file));
        summary(stdout, written, out);
        return 0;
    }

    /** Writes each file into a scratch folder, uploads it, and deletes the local copy once the store has it. */
    private int generateInto(S3Uri uri, GeneratorOptions options, PrintWriter stdout) throws Exception {
        Path scratch = Files.createTempDirectory("changepipe-generate");
        try (BucketClient bucket = BucketClient.open(uri, s3.settings())) {
            bucket.check();
            List<GeneratedFile> written = writeAll(options, scratch, file -> {
                String key = uri.key(file.path().getFileName().toString());
                try {
                    bucket.put(key, file.path());
                    Files.delete(file.path());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (SdkException e) {
                    throw ChangepipeException.user(bucket.failure("cannot upload " + key, e));
                }
                report(stdout, uri.locationOf(key), file);
            });
            summary(stdout, written, uri.toString());
            return 0;
        } finally {
            try (var left = Files.list(scratch)) {
                for (Path file : (Iterable<Path>) left::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    /** Change files, or with {@code --snapshot} full dumps. */
    private List<GeneratedFile> writeAll(GeneratorOptions options, Path folder, Consumer<GeneratedFile> onFile)
            throws IOException, InterruptedException {
        return snapshot ? new CustomerSnapshotGenerator(options).writeAll(folder, onFile)
                : new CustomerChangeGenerator(options).writeAll(folder, onFile);
    }

    private static void report(PrintWriter stdout, String where, GeneratedFile file) {
        stdout.println(where + " (" + file.rows() + " rows" + (file.dirtyRows() > 0 ? ", " + file.dirtyRows() + " dirty" : "") + ")");
        stdout.flush();
    }

    private static void summary(PrintWriter stdout, List<GeneratedFile> written, String where) {
        long total = written.stream().mapToLong(GeneratedFile::rows).sum();
        stdout.println("wrote " + written.size() + " files, " + total + " rows, into " + where);
        stdout.flush();
    }
}
