package dev.changepipe.conformance;

import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hostile-query corpus ({@code hostile-queries.txt} among this module's resources): statements a user may send
 * through {@code changepipe query}, the query endpoint or the SQL door, each with what it tries and what must come of
 * it. Public, so that the cli's tests send the same corpus through its entry points.
 */
public final class HostileQueries {
    private static final String RESOURCE = "/hostile-queries.txt";
    private static final Pattern LINE = Pattern.compile("(both|duckdb|spark)\\s+(refused|no-secret|reads)\\s+(\\S+)\\s+(.+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private HostileQueries() {}

    /** What must come of a statement. */
    public enum Expected {
        /** A user error, and nothing happens. */
        REFUSED,
        /** It may answer, but never with the secret file's contents. */
        NO_SECRET,
        /** An ordinary read, which must work. */
        READS;

        static Expected of(String word) {
            return valueOf(word.replace('-', '_').toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One statement of the corpus, with its placeholders ({@code {secret}}, {@code {target}}, {@code {current}}, …)
     * still in it.
     *
     * @param engines {@code both}, {@code duckdb} or {@code spark}
     * @param line its line in the resource, to name it by
     */
    public record Query(String engines, Expected expected, String attempt, String template, int line) {
        public boolean runsOn(String engineType) {
            return engines.equals("both") || engines.equals(engineType);
        }

        /** The statement with every placeholder replaced; a placeholder without a value is a mistake of the corpus. */
        public String sql(Map<String, String> values) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder sql = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("line " + line + " of the corpus: no value for {" + m.group(1) + "}");
                }
                m.appendReplacement(sql, Matcher.quoteReplacement(value));
            }
            return m.appendTail(sql).toString();
        }

        @Override
        public String toString() {
            return "line " + line + " (" + attempt + ", " + expected.name().toLowerCase(Locale.ROOT) + "): " + template;
        }
    }

    /** Every statement of the corpus, in its order. */
    public static List<Query> all() {
        try (InputStream in = HostileQueries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the class path");
            }
            List<Query> queries = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line.strip());
                if (!m.matches()) {
                    throw new IllegalStateException("line " + number + " of " + RESOURCE + " is not <engines> <expected> <attempt> <statement>: " + line);
                }
                queries.add(new Query(m.group(1), Expected.of(m.group(2)), m.group(3), m.group(4), number));
            }
            return List.copyOf(queries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements that run on {@code engineType}. */
    public static List<Query> of(String engineType) {
        return all().stream().filter(q -> q.runsOn(engineType)).toList();
    }

    /**
     * The files a corpus plays with, outside the warehouse: a secret, whose contents must never come back, and a
     * folder for what a statement would write ({@code target}) or attach ({@code other}), named by its line.
     */
    public record Corpus(Path warehouse, Path secretFile, String secret, Path stolen, Map<String, String> tables) {
        /** Makes the secret and the empty folder for targets under {@code dir}, for the spec's tables. */
        public static Corpus around(Path dir, Path warehouse, PipelineSpec spec) {
            return around(dir, warehouse, tablesOf(spec));
        }

        public static Corpus around(Path dir, Path warehouse, Map<String, String> tables) {
            try {
                String secret = "s3cr3t-" + UUID.randomUUID();
                Path outside = Files.createDirectories(dir.resolve("outside"));
                Path secretFile = Files.writeString(outside.resolve("secret.csv"), "id,name\n1," + secret + "\n");
                Path stolen = Files.createDirectories(dir.resolve("stolen"));
                return new Corpus(warehouse.toAbsolutePath(), secretFile.toAbsolutePath(), secret,
                        stolen.toAbsolutePath(), Map.copyOf(tables));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The spec's tables by placeholder: quoted names, the current table's bare name, the first key quoted. */
        public static Map<String, String> tablesOf(PipelineSpec spec) {
            var names = spec.tables();
            return Map.of("raw", Identifier.quote(names.raw()), "rejects", Identifier.quote(names.rejects()),
                    "current", Identifier.quote(names.current()), "history", Identifier.quote(names.history()),
                    "changes", Identifier.quote(names.changes()), "current_name", names.current(),
                    "key", Identifier.quote(spec.keys().get(0)));
        }

        /** Every file and folder under {@code root} but those in the warehouse: none may appear while the corpus runs. */
        public Set<String> filesOutsideTheWarehouse(Path root) {
            try (Stream<Path> all = Files.walk(root)) {
                Set<String> files = new TreeSet<>();
                all.filter(p -> !p.startsWith(warehouse)).forEach(p -> files.add(root.relativize(p).toString()));
                return files;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The placeholders' values for the statement of corpus line {@code line}. */
        public Map<String, String> values(int line) {
            Map<String, String> values = new HashMap<>(tables);
            values.put("secret", secretFile.toString());
            values.put("secret_dir", secretFile.getParent().toString());
            values.put("target", stolen.resolve("q" + line + ".csv").toString());
            values.put("other", stolen.resolve("q" + line + ".duckdb").toString());
            values.put("warehouse", warehouse.toString());
            values.put("current_path", warehouse.resolve(tables.get("current_name")).toString());
            return values;
        }
    }
}
