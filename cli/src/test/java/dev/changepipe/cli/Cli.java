package dev.changepipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the changepipe command line in this JVM and captures what it prints. */
record Cli(int exitCode, String out, String err) {
    static Cli run(String... args) {
        CommandLine cli = Changepipe.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
