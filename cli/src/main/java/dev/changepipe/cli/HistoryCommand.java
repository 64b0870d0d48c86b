package dev.changepipe.cli;

import dev.changepipe.cli.dashboard.KeyHistory;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show every version of one key from the history (SCD2) table, oldest first.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Parameters(paramLabel = "KEY", arity = "1..*",
            description = "The key's value; one value per key column, in the order of the spec's keys.")
    List<String> key;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        ResultFormat output = format.format;
        PipelineSpec pipeline = spec.load();
        KeyHistory history = KeyHistory.of(pipeline, key);
        try (Warehouse warehouse = Warehouse.open(pipeline)) {
            PrintWriter out = command.commandLine().getOut();
            output.print(warehouse.query(history.sql(), history.parameters()), out);
            out.flush();
        }
        return 0;
    }
}
