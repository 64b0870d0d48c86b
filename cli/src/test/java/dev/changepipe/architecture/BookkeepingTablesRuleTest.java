package dev.changepipe.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only an engine knows how it keeps its bookkeeping: no code outside an engine module (main or test) names the
 * tables {@code changepipe.files}, {@code changepipe.offsets} or {@code changepipe.task_history} in SQL; it reads
 * them through the {@code Engine}'s typed methods. Comments may mention the tables. A source rule, since SQL is text
 * that ArchUnit cannot see.
 */
class BookkeepingTablesRuleTest {
    private static final Pattern TABLE = Pattern.compile("\\bchangepipe\\.(files|offsets|task_history)\\b");
    private static final Path ROOT = Path.of("..");

    @Test
    void noModuleButAnEngineSendsSqlToTheBookkeepingTables() throws IOException {
        List<Path> modules;
        try (Stream<Path> children = Files.list(ROOT)) {
            modules = children.filter(d -> Files.exists(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src")))
                    .filter(d -> !d.getFileName().toString().startsWith("engine-"))
                    .toList();
        }
        assertThat(modules).extracting(m -> m.getFileName().toString()).contains("core", "conformance", "cli");
        List<String> offending = new ArrayList<>();
        for (Path module : modules) {
            try (Stream<Path> files = Files.walk(module.resolve("src"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> offending.addAll(uses(f)));
            }
        }
        assertThat(offending).as("SQL on the bookkeeping tables outside an engine module").isEmpty();
    }

    private static List<String> uses(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<String> uses = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                boolean comment = line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
                if (!comment && TABLE.matcher(line).find()) {
                    uses.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
            return uses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
