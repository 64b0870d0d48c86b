package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code changepipe query --format csv} and {@code files --format csv} as a shell script uses them: the real command
 * in a child JVM, its standard output through a pipe into {@code tail -1} and a numeric test, as the issue tried it.
 */
class CsvOutputPipeIT {
    @TempDir
    Path dir;

    @Test
    void theLastLineOfCsvOutputIsANumberToTheShellAndNoLineEndsWithCr() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli run = Cli.run("run", "--spec", spec.toString(), "--once");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String changepipe = String.join(" ", ChildJvm.command(dir, Changepipe.class).stream().map(CsvOutputPipeIT::quoted).toList());

        Path query = dir.resolve("query.csv");
        Path files = dir.resolve("files.csv");
        String script = String.join("\n",
                "set -e",
                changepipe + " query --spec \"$SPEC\" --format csv 'SELECT count(*) AS n FROM users' > \"$QUERY\"",
                changepipe + " files --spec \"$SPEC\" --format csv > \"$FILES\"",
                // The issue's own use: a shell that reads the count and compares it.
                "n=$(" + changepipe + " query --spec \"$SPEC\" --format csv 'SELECT count(*) AS n FROM users' | tail -1)",
                "[ \"$n\" -gt 0 ]",
                "echo \"count=$n\"");
        ProcessBuilder shell = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("shell.log").toFile());
        shell.environment().putAll(java.util.Map.of("SPEC", spec.toString(), "QUERY", query.toString(),
                "FILES", files.toString(), "CLASSPATH", ChildJvm.classPath()));
        Process process = shell.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the script ends").isTrue();
        String log = Files.readString(dir.resolve("shell.log"));
        assertThat(process.exitValue()).as("the script's numeric test passes; its output:%n%s", log).isZero();
        assertThat(log.lines().filter(l -> l.startsWith("count="))).containsExactly("count=3");

        byte[] queryBytes = Files.readAllBytes(query);
        assertThat(new String(queryBytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("n\n3\n");
        List<String> ledger = Files.readAllLines(files);
        assertThat(ledger).as("header and the one file").hasSize(2);
        assertThat(Files.readString(files)).doesNotContain("\r").endsWith("\n");
    }

    /** One word to sh: single-quoted, a single quote inside written as '\''. */
    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
