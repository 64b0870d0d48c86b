package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.GeneratorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: a real {@code changepipe run} in a child JVM takes 10 files a second for
 * {@code -Dchangepipe.soak.minutes=N} minutes, while this test samples the child's heap, resident
 * memory, open files and threads. Opt-in only (it runs for as long as asked), e.g.
 * {@code ./mvnw -B -pl cli verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoakIT -Dchangepipe.soak.minutes=30}.
 * The figures go to standard output and to {@code target/soak.txt}.
 */
@EnabledIfSystemProperty(named = "changepipe.soak.minutes", matches = "[1-9][0-9]*")
class SoakIT {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(30);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    private Process running;

    record Sample(long second, long heapMb, long rssMb, long openFiles, long threads, long filesLoaded) {
        @Override
        public String toString() {
            return String.format("%6d s | heap %5d MB | rss %5d MB | fds %4d | threads %3d | files %6d", second, heapMb,
                    rssMb, openFiles, threads, filesLoaded);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.isAlive()) {
            running.destroy();
            running.waitFor();
        }
    }

    @Test
    void heapOpenFilesAndThreadsStayFlatUnderTenFilesASecond() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("changepipe.soak.minutes"));
        Path spec = DemoCommand.writeSpec(dir);
        Files.writeString(spec, Files.readString(spec).replace("settle: 200ms", "settle: 100ms"));
        Files.createDirectories(dir.resolve("landing"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = JavaCommand.of("-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp", classpath, Changepipe.class.getName(), "run", "--spec", spec.toString());
        running = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();

        int files = (int) (length.toSeconds() * 10);
        GeneratorOptions options = new GeneratorOptions(files, 100, Duration.ofMillis(100), 7, 0.85, 0.05, 0.05, 0.01,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Thread generator = new Thread(() -> {
            try {
                new CustomerChangeGenerator(options).writeAll(dir.resolve("landing"), f -> { });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-generator");
        Instant start = Instant.now();
        generator.start();
        List<Sample> samples = new ArrayList<>();
        while (generator.isAlive()) {
            generator.join(SAMPLE_EVERY.toMillis());
            assertThat(running.isAlive()).as("the pipeline died; see " + dir.resolve("run.log")).isTrue();
            samples.add(sample(start));
            System.out.println(samples.get(samples.size() - 1));
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (loaded() < files && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        Sample last = sample(start);
        samples.add(last);

        List<String> report = new ArrayList<>();
        samples.forEach(s -> report.add(s.toString()));
        int third = Math.max(1, samples.size() / 3);
        Sample early = max(samples.subList(0, third));
        Sample late = max(samples.subList(samples.size() - third, samples.size()));
        report.add(String.format("files written %d, loaded %d in %d s; early third max: %s; late third max: %s", files,
                last.filesLoaded(), Duration.between(start, Instant.now()).toSeconds(), early, late));
        System.out.println(String.join("\n", report));
        Files.write(Path.of("target", "soak.txt"), report);

        assertThat(last.filesLoaded()).as("backlog at the end").isEqualTo(files);
        assertThat(late.heapMb()).as("heap after GC").isLessThanOrEqualTo(early.heapMb() * 3 / 2 + 32);
        assertThat(late.openFiles()).as("open files").isLessThanOrEqualTo(early.openFiles() + 16);
        assertThat(late.threads()).as("threads").isLessThanOrEqualTo(early.threads() + 4);
    }

    private static Sample max(List<Sample> samples) {
        return new Sample(0, samples.stream().mapToLong(Sample::heapMb).max().orElse(0),
                samples.stream().mapToLong(Sample::rssMb).max().orElse(0),
                samples.stream().mapToLong(Sample::openFiles).max().orElse(0),
                samples.stream().mapToLong(Sample::threads).max().orElse(0), 0);
    }

    private Sample sample(Instant start) throws Exception {
        long pid = running.pid();
        String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
        long openFiles;
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            openFiles = fds.count();
        }
        return new Sample(Duration.between(start, Instant.now()).toSeconds(), heapAfterGcMb(pid),
                field(status, "VmRSS") / 1024, openFiles, field(status, "Threads"), loaded());
    }

    /** Heap in use after a full collection, read with jcmd, so that garbage not yet collected does not count. */
    private static long heapAfterGcMb(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Process info = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = HEAP_USED.matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    }

    private static long field(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long loaded() {
        Cli cli = Cli.run("files", "--spec", dir.resolve("pipeline.yaml").toString(), "--format", "csv",
                "--status", "loaded,loaded_with_rejects", "--limit", "100000000");
        return cli.exitCode() == 0 ? cli.out().lines().count() - 1 : -1;
    }
}
