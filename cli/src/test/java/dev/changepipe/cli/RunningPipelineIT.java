package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.ledger.FileStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code changepipe run} in a child JVM, with queries, status and a second run against it. */
class RunningPipelineIT {
    @TempDir
    Path dir;

    private Process running;

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.isAlive()) {
            running.destroy();
            running.waitFor();
        }
    }

    @Test
    void queriesReachTheRunningPipelineAndASecondRunIsRefused() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        running = start("run", "--spec", spec.toString());
        Path endpoint = dir.resolve("warehouse").resolve(EndpointFile.NAME);
        await(() -> Files.exists(endpoint));
        assertThat(Files.getPosixFilePermissions(endpoint))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        await(() -> "3".equals(count(spec, "users")));
        Cli status = Cli.run("status", "--spec", spec.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("users_1.csv");

        // A file landing while the pipeline runs reaches both tables.
        Files.writeString(dir.resolve("landing/.users_2.tmp"), "userId,name,city,operation,sequenceNum\n127,Ana,Lima,INSERT,9\n");
        Files.move(dir.resolve("landing/.users_2.tmp"), dir.resolve("landing/users_2.csv"));
        await(() -> "4".equals(count(spec, "users")) && "8".equals(count(spec, "users_history")));

        Cli feed = Cli.run("feed", "--spec", spec.toString(), "--consumer", "reports", "--format", "csv", "--commit");
        assertThat(feed.exitCode()).as(feed.err()).isZero();
        assertThat(feed.out()).contains("127,Ana,Lima").contains("124,Raul,Oaxaca");
        assertThat(Cli.run("feed", "--spec", spec.toString(), "--consumer", "reports").err()).contains("nothing new");

        Cli second = Cli.run("run", "--spec", spec.toString(), "--once");
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.err()).contains("is in use by process " + running.pid());

        // The token stays in the owner-only file: the pipeline's own log never shows it.
        String token = EndpointFile.read(dir.resolve("warehouse")).orElseThrow().token();
        assertThat(Files.readString(dir.resolve("run.log"))).doesNotContain(token);

        running.destroy();
        assertThat(running.waitFor()).isIn(0, 143);
        assertThat(endpoint).doesNotExist();
        // With the pipeline gone, the same commands open the warehouse directly.
        assertThat(count(spec, "users_history")).isEqualTo("8");
    }

    @Test
    void aRunWhoseLockHolderDiedTakesOverCleanly() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        running = start("run", "--spec", spec.toString());
        Path endpoint = dir.resolve("warehouse").resolve(EndpointFile.NAME);
        await(() -> Files.exists(endpoint) && "3".equals(count(spec, "users")));
        long dead = running.pid();
        running.destroyForcibly();
        running.waitFor();
        // kill -9 leaves the endpoint file behind, naming a process that no longer exists.
        assertThat(endpoint).exists();

        running = start("run", "--spec", spec.toString());
        await(() -> EndpointFile.read(dir.resolve("warehouse")).map(e -> e.pid() != dead).orElse(false));
        Files.writeString(dir.resolve("landing/.users_2.tmp"), "userId,name,city,operation,sequenceNum\n127,Ana,Lima,INSERT,9\n");
        Files.move(dir.resolve("landing/.users_2.tmp"), dir.resolve("landing/users_2.csv"));
        await(() -> "4".equals(count(spec, "users")));
        // Through the running pipeline's query endpoint, as `changepipe files` reads it.
        assertThat(WarehouseTables.files(spec, FileStatus.values())).as("the first file is not loaded twice").isEqualTo(2);
    }

    private static String count(Path spec, String table) {
        Cli cli = Cli.run("query", "--spec", spec.toString(), "--format", "csv", "SELECT count(*) FROM " + table);
        return cli.exitCode() == 0 ? cli.out().lines().skip(1).findFirst().orElse("") : "error: " + cli.err();
    }

    private Process start(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The killed child's unpacked DuckDB library stays in the test's folder, not in the machine's /tmp.
        List<String> command = JavaCommand.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp", classpath, Changepipe.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
    }

    private void await(java.util.function.BooleanSupplier condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || !running.isAlive()) {
                throw new AssertionError("condition not met; pipeline log:\n" + Files.readString(dir.resolve("run.log")));
            }
            Thread.sleep(100);
        }
    }

}
