package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What changepipe needs of the JVM it runs in, checked in child JVMs started with and without it. */
class JvmOptionsIT {
    @TempDir
    Path dir;

    private record Child(int exitCode, String output) {}

    private Child run(List<String> java, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")), "-cp", classpath,
                Changepipe.class.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve("child.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
        return new Child(process.exitValue(), Files.readString(log));
    }

    @Test
    void withoutJavaNioOpenTheEmbeddedEngineRefusesToStartNamingTheOption() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Child child = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "run", "--spec", spec.toString(), "--once");
        assertThat(child.exitCode()).as(child.output()).isEqualTo(2);
        assertThat(child.output().strip()).doesNotContain("\n\tat ").contains(JavaCommand.ARROW_MEMORY);
        assertThat(dir.resolve("warehouse/warehouse.duckdb")).as("refused before the warehouse is opened").doesNotExist();
    }

    @Test
    void withTheOptionsOfJavaCommandTheSamePipelineLoads() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Child child = run(JavaCommand.of(), "run", "--spec", spec.toString(), "--once");
        assertThat(child.exitCode()).as(child.output()).isZero();
        Cli count = Cli.run("query", "--spec", spec.toString(), "--format", "csv", "SELECT count(*) FROM users");
        assertThat(count.out()).contains("3");
    }
}
