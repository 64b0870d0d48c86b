package dev.changepipe.cli;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "feed", mixinStandardHelpOptions = true,
        description = {"Read the current table's change feed (insert, update_preimage, update_postimage, delete) after",
                "a named consumer's committed offset. Without --commit the same changes are returned again next time."})
final class FeedCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Option(names = "--consumer", required = true, description = "The consumer's name (an identifier); each keeps its own offset.")
    String consumer;

    @Option(names = "--max-versions", defaultValue = "100", description = "At most this many commit versions. Default: ${DEFAULT-VALUE}.")
    int maxVersions;

    @Option(names = "--commit", description = "Commit the consumer's offset to the last version printed.")
    boolean commit;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        PipelineSpec pipeline = spec.load();
        try (Warehouse warehouse = Warehouse.open(pipeline)) {
            ChangeFeedBatch batch = warehouse.readChangeFeed(consumer, maxVersions);
            List<String> columns = new ArrayList<>(List.of("_commit_version", "_change_type"));
            columns.addAll(pipeline.targetColumns());
            List<List<Object>> rows = new ArrayList<>();
            for (FeedChange change : batch.changes()) {
                List<Object> row = new ArrayList<>(List.of(change.commitVersion(), change.changeType()));
                pipeline.targetColumns().forEach(c -> row.add(change.values().get(c)));
                rows.add(row);
            }
            PrintWriter out = command.commandLine().getOut();
            format.format.print(new QueryResult(columns, rows), out);
            out.flush();
            if (commit && batch.lastVersion() > batch.sinceVersion()) {
                warehouse.commitFeedOffset(consumer, batch.lastVersion());
            }
            PrintWriter err = command.commandLine().getErr();
            err.println("consumer " + consumer + ": versions " + (batch.sinceVersion() + 1) + ".." + batch.lastVersion()
                    + (batch.lastVersion() == batch.sinceVersion() ? " (nothing new)" : commit ? " (committed)" : " (not committed)"));
            err.flush();
        }
        return 0;
    }
}
