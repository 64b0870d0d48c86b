package dev.changepipe.cli;

import dev.changepipe.engine.StatusSection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show row counts, offsets, the load history, rejects and the task history of a pipeline.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Mixin
    FormatOption format;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        ResultFormat output = format.format;
        PrintWriter out = command.commandLine().getOut();
        try (Warehouse warehouse = Warehouse.open(spec.load())) {
            for (StatusSection section : warehouse.status()) {
                out.println("== " + section.title());
                output.print(section.rows(), out);
                out.println();
            }
        }
        out.flush();
        return 0;
    }
}
