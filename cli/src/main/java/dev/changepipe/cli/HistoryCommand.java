package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
        if (key.size() != pipeline.keys().size()) {
            throw ChangepipeException.user("KEY: pipeline " + pipeline.name() + " has " + pipeline.keys().size()
                    + " key column(s) (" + String.join(", ", pipeline.keys()) + "), got " + key.size() + " value(s)");
        }
        String where = pipeline.keys().stream()
                .map(k -> Identifier.quote(k) + " = CAST(? AS " + sqlType(pipeline, k) + ")")
                .collect(Collectors.joining(" AND "));
        String sql = "SELECT * FROM " + Identifier.quote(pipeline.tables().history()) + " WHERE " + where
                + " ORDER BY " + Identifier.quote(pipeline.historyColumns().start());
        try (Warehouse warehouse = Warehouse.open(pipeline)) {
            PrintWriter out = command.commandLine().getOut();
            output.print(warehouse.query(sql, new ArrayList<>(key)), out);
            out.flush();
        }
        return 0;
    }

    /** The cast target for a key value given as text; these names mean the same in DuckDB and Spark SQL. */
    private static String sqlType(PipelineSpec pipeline, String column) {
        return switch (pipeline.typeOf(column)) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,9)";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIMESTAMP, TIMESTAMPTZ -> "TIMESTAMP";
            case VARCHAR -> "VARCHAR";
        };
    }
}
