package dev.changepipe.cli;

import dev.changepipe.cli.dashboard.KeyHistory;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Show every version of one key from the history (SCD2) table, oldest first;",
                "with --as-of, the key as it was at one sequence time."})
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Parameters(paramLabel = "KEY", arity = "1..*",
            description = "The key's value; one value per key column, in the order of the spec's keys.")
    List<String> key;

    @Option(names = "--as-of", paramLabel = "T",
            description = {"Show the key's row as of sequence time T instead, a value of the sequence_by column's type:",
                    "its values then, exact for every column (docs/semantics.md, rule 3.5);",
                    "nothing when the key was absent or deleted at T."})
    String asOf;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        ResultFormat output = format.format;
        PipelineSpec pipeline = spec.load();
        try (Warehouse warehouse = Warehouse.open(pipeline)) {
            PrintWriter out = command.commandLine().getOut();
            if (asOf == null) {
                KeyHistory history = KeyHistory.of(pipeline, key);
                output.print(warehouse.query(history.sql(), history.parameters()), out);
            } else {
                KeyHistory state = KeyHistory.asOf(pipeline, key);
                output.print(warehouse.queryAsOf(state.sql(), state.parameters(), asOf), out);
            }
            out.flush();
        }
        return 0;
    }
}
