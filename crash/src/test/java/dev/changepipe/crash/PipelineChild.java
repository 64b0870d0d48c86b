package dev.changepipe.crash;

import dev.changepipe.cli.Changepipe;
import dev.changepipe.cli.JavaCommand;
import dev.changepipe.fault.FaultPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code changepipe run --spec F --once} in a child JVM with the test class path (both engines on it), its
 * output in a log file, optionally armed at fault points. The crash harness starts one per restart and kills it or
 * lets it finish.
 */
final class PipelineChild implements AutoCloseable {
    /** What {@link Process#destroyForcibly()} (SIGKILL) leaves as exit status: 128 + 9. */
    static final int KILLED_STATUS = 137;

    private final Process process;
    private final Path log;
    private final long startedNanos = System.nanoTime();

    private PipelineChild(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the pipeline of {@code spec} in a JVM with {@code jvmOptions} (besides those {@link JavaCommand} always
     * adds); {@code faults} is the value of {@value FaultPoint#PROPERTY} ({@code point@n}) or null for an unarmed run.
     */
    static PipelineChild start(Path spec, Path log, List<String> jvmOptions, String faults) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = JavaCommand.of(jvmOptions.toArray(String[]::new));
        if (faults != null) {
            command.add("-D" + FaultPoint.PROPERTY + "=" + faults);
        }
        // DuckDB's JDBC driver unpacks its native library (about 70 MB) into java.io.tmpdir and deletes it on a clean
        // exit only, and Spark keeps its scratch files there; a killed child would leave them behind, so each child's
        // go under the test's own folder.
        Path tmp = Files.createDirectories(log.getParent().resolve("tmp"));
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("-cp", classpath, Changepipe.class.getName(), "run", "--spec", spec.toString(), "--once"));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PipelineChild(process, log);
    }

    /** Whether the child exited within {@code wait}. */
    boolean exitsWithin(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for the child's exit status; a child still running after {@code limit} is stuck: it is killed and the
     * harness fails with its log.
     */
    int exitStatus(Duration limit) throws InterruptedException {
        if (!exitsWithin(limit)) {
            kill();
            throw new AssertionError("the pipeline child was still running after " + limit.toSeconds() + " s; its log "
                    + log + ":\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL, then the exit status: {@link #KILLED_STATUS}, or the child's own if it finished just before. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** Milliseconds since the start. */
    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    Path logFile() {
        return log;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
