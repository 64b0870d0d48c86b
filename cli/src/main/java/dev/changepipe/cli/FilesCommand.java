package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "files", mixinStandardHelpOptions = true,
        description = {"Show the file ledger: how each landed file ended (loaded, loaded_with_rejects, refused,",
                "redelivered, vanished), oldest first. Filter by name, status or location; page with --after."})
final class FilesCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Option(names = "--name", paramLabel = "NAME", description = "Only files of this name (repeatable).")
    List<String> names = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Only files in this status (repeatable or comma-separated): loaded, loaded_with_rejects, "
                    + "refused, redelivered, vanished.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--under", paramLabel = "PREFIX",
            description = "Only files whose location (a landing folder path or s3://bucket/key) starts with PREFIX.")
    String under;

    @Option(names = "--after", paramLabel = "FILE_ID", defaultValue = "0",
            description = "Only files after this file id: the last file id of the previous page.")
    long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N files. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--latest", description = "The latest files first, instead of the oldest.")
    boolean latest;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw ChangepipeException.user("--limit: must not be negative, got " + limit);
        }
        LedgerQuery query = LedgerQuery.all().after(after).first(limit);
        if (!names.isEmpty()) {
            query = query.named(names);
        }
        if (under != null) {
            query = query.under(under);
        }
        if (latest) {
            query = query.newestToOldest();
        }
        if (!statuses.isEmpty()) {
            Set<FileStatus> kept = EnumSet.noneOf(FileStatus.class);
            for (String word : statuses) {
                kept.add(status(word));
            }
            query = new LedgerQuery(query.names(), query.locationPrefix(), kept, query.afterFileId(),
                    query.beforeFileId(), query.limit(), query.newestFirst());
        }
        try (Warehouse warehouse = Warehouse.open(spec.load())) {
            PrintWriter out = command.commandLine().getOut();
            format.format.print(warehouse.files(query), out);
            out.flush();
        }
        return 0;
    }

    private static FileStatus status(String word) {
        try {
            return FileStatus.of(word.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user("--status: '" + word + "' is not one of loaded, loaded_with_rejects, "
                    + "refused, redelivered, vanished");
        }
    }
}
