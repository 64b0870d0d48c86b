package dev.changepipe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.changepipe.cli.bench.BenchCommand;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code changepipe} command. */
@Command(name = "changepipe", mixinStandardHelpOptions = true, version = "changepipe 0.1.0",
        description = "Continuous change-data-capture from landed CSV files into SCD1 and SCD2 tables.",
        subcommands = {RunCommand.class, DemoCommand.class, GenerateCommand.class, ShipCommand.class, StatusCommand.class, FilesCommand.class,
                HistoryCommand.class, QueryCommand.class, FeedCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Changepipe {
    static final int USER_ERROR_EXIT = 2;
    static final int FAILURE_EXIT = 1;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log debug detail and show stack traces of errors.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            ((Logger) LoggerFactory.getLogger("dev.changepipe")).setLevel(Level.DEBUG);
        }
    }

    static boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to execute; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Changepipe());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(Changepipe::handle);
        return cli;
    }

    /** A user error is one line on standard error; anything else adds its stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("changepipe: " + message);
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof ChangepipeException)) {
            err.println("(run again with --verbose for details)");
        }
        err.flush();
        return e instanceof ChangepipeException c && c.category() == ErrorCategory.USER_ERROR ? USER_ERROR_EXIT : FAILURE_EXIT;
    }

    /** Quiet the pipeline's own logging while a live display owns the terminal. */
    public static void quietLogs() {
        if (!verbose) {
            ((Logger) LoggerFactory.getLogger("dev.changepipe")).setLevel(Level.WARN);
        }
    }
}
