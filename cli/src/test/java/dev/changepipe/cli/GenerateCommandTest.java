package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheRequestedFilesAndTheSameSeedAndStartWriteTheSameBytes() throws Exception {
        String[] args = {"--files", "3", "--rows", "50", "--seed", "7", "--start", "2026-01-01T00:00:00Z"};
        assertThat(Cli.run(concat("generate", "--out", dir.resolve("a").toString(), args)).exitCode()).isZero();
        assertThat(Cli.run(concat("generate", "--out", dir.resolve("b").toString(), args)).exitCode()).isZero();
        List<Path> a = files(dir.resolve("a"));
        assertThat(a).hasSize(3).allMatch(p -> p.getFileName().toString().matches("customer_\\d{14}\\.csv"));
        for (Path file : a) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(file.getFileName()))).isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void snapshotsAreWholeDumpsFromWhichSomeLeaveAsManyJoinAndTheSameSeedWritesTheSameBytes() throws Exception {
        String[] args = {"--snapshot", "--files", "3", "--rows", "100", "--delete-ratio", "0.1", "--update-ratio", "0.2",
            "--seed", "7", "--start", "2026-01-01T00:00:00Z"};
        assertThat(Cli.run(concat("generate", "--out", dir.resolve("a").toString(), args)).exitCode()).isZero();
        assertThat(Cli.run(concat("generate", "--out", dir.resolve("b").toString(), args)).exitCode()).isZero();
        List<Path> dumps = files(dir.resolve("a"));
        assertThat(dumps).hasSize(3);
        List<java.util.Set<String>> ids = new java.util.ArrayList<>();
        for (Path dump : dumps) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(dump.getFileName()))).isEqualTo(Files.readAllBytes(dump));
            List<String> lines = Files.readAllLines(dump);
            assertThat(lines.get(0)).isEqualTo("customer_id,first_name,last_name,email,street,city,state,country");
            ids.add(new java.util.TreeSet<>(lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList()));
        }
        for (int i = 1; i < ids.size(); i++) {
            java.util.Set<String> left = new java.util.TreeSet<>(ids.get(i - 1));
            left.removeAll(ids.get(i));
            java.util.Set<String> joined = new java.util.TreeSet<>(ids.get(i));
            joined.removeAll(ids.get(i - 1));
            assertThat(ids.get(i)).as("dump %d", i).hasSize(100);
            assertThat(left).as("left before dump %d", i).hasSize(10);
            assertThat(joined).as("joined in dump %d", i).hasSize(10);
        }
    }

    @Test
    void aBadRatioNamesTheOption() {
        Cli generate = Cli.run("generate", "--out", dir.toString(), "--update-ratio", "1.5");
        assertThat(generate.exitCode()).isEqualTo(2);
        assertThat(generate.err()).contains("--update-ratio");
    }

    private static String[] concat(String command, String out, String dir, String[] rest) {
        return Stream.concat(Stream.of(command, out, dir), Stream.of(rest)).toArray(String[]::new);
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
