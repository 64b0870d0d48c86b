package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code run} started while a one-off command has the DuckDB file open: a child JVM holds the warehouse open
 * through the engine ({@link HoldingWarehouse}, as {@code changepipe query} does) and a real {@code run --once} in
 * another child waits for it, or, past its bound, names it.
 */
class WaitingRunIT {
    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunWaitsForAOneOffHolderThenLoadsEverything() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Process holder = holdWarehouse(spec, Duration.ofSeconds(4));

        long started = System.nanoTime();
        Process run = start("run.log", Changepipe.class, "run", "--spec", spec.toString(), "--once");
        assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("the run ends; its log:%n%s", log("run.log")).isTrue();
        String log = log("run.log");
        assertThat(run.exitValue()).as("run's exit status; its log:%n%s", log).isZero();
        assertThat(holder.isAlive()).as("the holder is gone when the run is done").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the run waited for the holder")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(log.lines().filter(l -> l.contains("is open in process " + holder.pid()) && l.contains("waiting up to 30s")))
                .as("one line says for whom it waits; the log:%n%s", log).hasSize(1);
        assertThat(log).doesNotContain("stop it or use its query endpoint");

        Cli count = Cli.run("query", "--spec", spec.toString(), "--format", "csv", "SELECT count(*) AS n FROM users");
        assertThat(count.out()).as(count.err()).isEqualTo("n\n3\n");
    }

    @Test
    void pastItsBoundARunNamesTheHoldingProcessAndFails() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Process holder = holdWarehouse(spec, Duration.ofSeconds(60));

        long started = System.nanoTime();
        Process run = start("run.log", Changepipe.class, "run", "--spec", spec.toString(), "--once",
                "--wait-for-warehouse", "1s");
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the run gives up; its log:%n%s", log("run.log")).isTrue();
        String log = log("run.log");
        assertThat(run.exitValue()).as("run's exit status; its log:%n%s", log).isEqualTo(Changepipe.USER_ERROR_EXIT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited its bound")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(log).contains("is still open in process " + holder.pid() + " (")
                .contains(HoldingWarehouse.class.getName()).contains("after 1s").contains("--wait-for-warehouse");
        assertThat(holder.isAlive()).as("the holder is left alone").isTrue();
    }

    @Test
    void aBadBoundNamesTheOption() {
        Cli run = Cli.run("run", "--spec", dir.resolve("pipeline.yaml").toString(), "--once", "--wait-for-warehouse", "soon");
        assertThat(run.exitCode()).isEqualTo(Changepipe.USER_ERROR_EXIT);
        assertThat(run.err()).contains("--wait-for-warehouse");
    }

    /** A child that has the warehouse open once this returns, for {@code hold}. */
    private Process holdWarehouse(Path spec, Duration hold) throws Exception {
        Process holder = start("holder.log", HoldingWarehouse.class, spec.toString(), String.valueOf(hold.toMillis()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log("holder.log").contains(HoldingWarehouse.OPEN)) {
            assertThat(holder.isAlive() && System.nanoTime() < deadline)
                    .as("the holder opens the warehouse; its log:%n%s", log("holder.log")).isTrue();
            Thread.sleep(50);
        }
        return holder;
    }

    private Process start(String logName, Class<?> main, String... args) throws IOException {
        Process process = ChildJvm.process(dir, main, args).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile()).start();
        children.add(process);
        return process;
    }

    private String log(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
