package dev.changepipe.cli;

import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.GeneratedFile;
import dev.changepipe.cli.generate.GeneratorOptions;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write customer change files (customer_<yyyyMMddHHmmss>.csv) like the original project's generator:",
                "a stable population of customers that later files update and delete, late rows, and optionally dirty rows.",
                "Each file is written under a temporary name and renamed into place."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created if missing).")
    Path out;

    @Option(names = "--files", defaultValue = "10", description = "Number of files. Default: ${DEFAULT-VALUE}.")
    int files;

    @Option(names = "--rows", defaultValue = "1000", description = "Rows per file. Default: ${DEFAULT-VALUE}.")
    int rows;

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
        Files.createDirectories(out);
        PrintWriter stdout = command.commandLine().getOut();
        List<GeneratedFile> written = new CustomerChangeGenerator(options).writeAll(out, file -> {
            stdout.println(file.path() + " (" + file.rows() + " rows" + (file.dirtyRows() > 0 ? ", " + file.dirtyRows() + " dirty" : "") + ")");
            stdout.flush();
        });
        long total = written.stream().mapToLong(GeneratedFile::rows).sum();
        stdout.println("wrote " + written.size() + " files, " + total + " rows, into " + out);
        stdout.flush();
        return 0;
    }
}
