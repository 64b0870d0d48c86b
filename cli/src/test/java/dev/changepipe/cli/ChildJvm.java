package dev.changepipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The command line of a child JVM with the test class path: {@link JavaCommand}'s, its temporary files under the test's folder. */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code java … -cp <test class path> mainClass args…}. */
    static List<String> command(Path dir, Class<?> mainClass, String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // DuckDB unpacks its native library into java.io.tmpdir: the test's folder, not the machine's /tmp.
        List<String> command = JavaCommand.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }
}
