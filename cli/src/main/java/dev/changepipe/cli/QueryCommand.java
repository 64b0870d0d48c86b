package dev.changepipe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run one SQL statement against the pipeline's warehouse and print the rows.",
                "Read-only: only one statement that reads the pipeline's tables runs; any other is refused (docs/engines.md)."})
final class QueryCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Parameters(paramLabel = "SQL", description = "The statement, e.g. \"SELECT * FROM customer LIMIT 5\".")
    String sql;

    @Option(names = "--as-of", paramLabel = "T",
            description = {"Read the current table as of sequence time T, a value of the sequence_by column's type",
                    "(an ingestion time without one): the current table's name in SQL means the table as of T",
                    "(docs/semantics.md, rule 3.5). Other tables are read as they are."})
    String asOf;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        ResultFormat output = format.format;
        try (Warehouse warehouse = Warehouse.open(spec.load())) {
            PrintWriter out = command.commandLine().getOut();
            output.print(asOf == null ? warehouse.query(sql, List.of()) : warehouse.queryAsOf(sql, List.of(), asOf), out);
            out.flush();
        }
        return 0;
    }
}
