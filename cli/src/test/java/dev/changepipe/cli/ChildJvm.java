package dev.changepipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM with the test class path, its temporary files under the test's folder. The class path goes in the
 * {@code CLASSPATH} variable, not on the command line: the operating system shows a process's command line only up to
 * a few kilobytes, and a run names the process that holds its warehouse by that command line.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code java … mainClass args…}, to be run with {@link #classPath()} as {@code CLASSPATH}. */
    static List<String> command(Path dir, Class<?> mainClass, String... args) throws IOException {
        // DuckDB unpacks its native library into java.io.tmpdir: the test's folder, not the machine's /tmp.
        List<String> command = JavaCommand.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The process of {@link #command}, its class path set. */
    static ProcessBuilder process(Path dir, Class<?> mainClass, String... args) throws IOException {
        ProcessBuilder process = new ProcessBuilder(command(dir, mainClass, args));
        process.environment().put("CLASSPATH", classPath());
        return process;
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
