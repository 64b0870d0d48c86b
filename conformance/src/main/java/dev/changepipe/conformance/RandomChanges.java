package dev.changepipe.conformance;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SchemaPolicy;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random change sets of the {@link People} pipeline for the property tests, from a seed. Value
 * domains are tiny (two names, two cities, NULL) so that equal values, NULLs, NULL-vs-NULL, deletes,
 * exact duplicates and late changes all happen often in a few dozen rows. Sequence values are
 * distinct per key (rule 5.4's condition), except in exact duplicates, which repeat a whole row.
 */
final class RandomChanges {
    private RandomChanges() {}

    /** The type of the sequence column, or none (arrival order). */
    enum Sequence { BIGINT, TIMESTAMP, TIMESTAMPTZ, NONE }

    /**
     * One generated case: the scenario (spec and files in landing order, no expected tables) and how
     * the files are grouped into runs of the pipeline.
     */
    record Case(long seed, Scenario scenario, List<List<Scenario.ChangeFile>> batches, String processing) {
        /** Everything needed to reproduce a failure by hand. */
        String describe() {
            List<List<String>> names = batches.stream()
                    .map(batch -> batch.stream().map(Scenario.ChangeFile::name).toList())
                    .toList();
            return "seed " + seed + ", processed " + processing + ", runs " + names + "\n" + scenario;
        }
    }

    private static final LocalDateTime BASE = LocalDateTime.of(2024, 3, 1, 0, 0);
    private static final List<ZoneOffset> OFFSETS = List.of(ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-5, -30));

    static Case generate(long seed, boolean withSequence) {
        return generate(seed, withSequence, false);
    }

    /**
     * As {@link #generate(long, boolean)}; with {@code ignoreNulls} the spec also sets
     * {@code ignore_null_updates} (true, [city] or [name]), so the NULLs drawn are partial updates
     * whose values come from other rows, late ones included. Its choice is drawn after the files, so a seed
     * gives the same changes either way. A seed with a sequence column not divisible by 3 also sets
     * {@code history_columns.open_end} (rule 5.6), inside or after the sequence values drawn; an even seed sets
     * {@code history_deletes: row} (rule 5.7); a seed divisible by 5 has truncates (rule 2.4) among its rows; in a seed
     * of 1 modulo 4 about half the files have a column the spec lacks, {@code phone}, at a random place: rescued (rule 1.8),
     * or in a seed of 1 modulo 8 added to the tables (rule 1.10).
     */
    static Case generate(long seed, boolean withSequence, boolean ignoreNulls) {
        Random random = new Random(seed);
        Sequence sequence = withSequence
                ? List.of(Sequence.BIGINT, Sequence.TIMESTAMP, Sequence.TIMESTAMPTZ).get(random.nextInt(3))
                : Sequence.NONE;
        boolean trackCityOnly = random.nextBoolean();
        int keys = 3 + random.nextInt(6);
        int count = 30 + random.nextInt(21);

        // Each key draws its sequence values from its own shuffled pool, so they are distinct per key
        // and arrive out of order.
        Map<Integer, Deque<Integer>> unusedSequences = new HashMap<>();
        for (int key = 1; key <= keys; key++) {
            List<Integer> pool = new ArrayList<>();
            for (int s = 1; s <= count; s++) {
                pool.add(s);
            }
            Collections.shuffle(pool, random);
            unusedSequences.put(key, new ArrayDeque<>(pool));
        }
        // Rule 2.4 in every fifth seed: truncates among the rows, at odd sequence values while the keys' are even, so that
        // no truncate ties with a key's change (ties go by arrival, rule 2.2, which order independence excludes).
        boolean truncates = seed % 5 == 0;
        int scale = truncates ? 2 : 1;
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!rows.isEmpty() && random.nextInt(8) == 0) {
                rows.add(rows.get(random.nextInt(rows.size())));
                continue;
            }
            if (truncates && random.nextInt(12) == 0) {
                rows.add(",,,T" + (sequence == Sequence.NONE ? ""
                        : "," + sequenceText(sequence, 2 * (1 + random.nextInt(count)) + 1, random)));
                continue;
            }
            int key = 1 + random.nextInt(keys);
            boolean delete = random.nextInt(5) == 0;
            // An upsert's op is sometimes NULL: delete_when is then unknown, which is an upsert too.
            String op = delete ? "D" : random.nextInt(4) == 0 ? "" : "U";
            String name = pick(random, "Ann", "Bob", "");
            String city = pick(random, "Oslo", "Rome", "");
            String row = key + "," + name + "," + city + "," + op;
            if (sequence != Sequence.NONE) {
                row += "," + sequenceText(sequence, scale * unusedSequences.get(key).pop(), random);
            }
            rows.add(row);
        }

        String header = sequence == Sequence.NONE ? People.HEADER_WITHOUT_SEQUENCE : People.HEADER;
        List<List<String>> parts = split(rows, random, 1, 5);
        List<Scenario.ChangeFile> files = new ArrayList<>();
        // Its own stream, so that the other seeds' files and the rest of this one's are drawn as before.
        Random shapes = seed % 4 == 1 ? new Random(seed * 31 + 7) : null;
        boolean[] phones = new boolean[parts.size()];
        for (int i = 0; i < parts.size() && shapes != null; i++) {
            phones[i] = shapes.nextBoolean();
        }
        boolean adding = seed % 8 == 1;
        if (adding) {
            // An added phone is a value column: the two copies of an exact duplicate must agree on it, so a row whose copy
            // is in a file with phone is left out of the files without it (a NULL phone there would tie, rule 2.2).
            java.util.Set<String> withPhone = new java.util.HashSet<>();
            for (int i = 0; i < parts.size(); i++) {
                if (phones[i]) {
                    withPhone.addAll(parts.get(i));
                }
            }
            for (int i = 0; i < parts.size(); i++) {
                if (!phones[i]) {
                    parts.set(i, parts.get(i).stream().filter(row -> !withPhone.contains(row)).toList());
                }
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            List<String> lines = new ArrayList<>(List.of(header));
            lines.addAll(parts.get(i));
            if (phones[i]) {
                lines = withPhone(lines, shapes, adding);
            }
            String csv = String.join("\n", lines) + "\n";
            files.add(new Scenario.ChangeFile("people_" + (char) ('a' + i) + ".csv", csv));
        }
        // Landing order differs from name order: the modification time decides (rule 1.1).
        Collections.shuffle(files, random);

        List<List<Scenario.ChangeFile>> batches = new ArrayList<>();
        String processing;
        switch (random.nextInt(3)) {
            case 0 -> {
                processing = "at once";
                batches.add(files);
            }
            case 1 -> {
                processing = "file by file";
                files.forEach(f -> batches.add(List.of(f)));
            }
            default -> {
                processing = "in random batches";
                List<Scenario.ChangeFile> batch = new ArrayList<>();
                for (Scenario.ChangeFile file : files) {
                    if (!batch.isEmpty() && random.nextBoolean()) {
                        batches.add(batch);
                        batch = new ArrayList<>();
                    }
                    batch.add(file);
                }
                batches.add(batch);
            }
        }
        String spec = spec(sequence, trackCityOnly) + (truncates ? "apply_as_truncates: \"op = 'T'\"\n" : "");
        if (ignoreNulls) {
            spec += "ignore_null_updates: " + List.of("true", "[city]", "[name]").get(random.nextInt(3)) + "\n";
        }
        // Rule 5.6, by the seed: no open end, one inside the sequence values drawn (the changes at or after it are
        // rejects), or one after them all. Drawn last, so the files are the same with or without it.
        if (sequence != Sequence.NONE && seed % 3 != 0) {
            int openEnd = seed % 3 == 1 ? scale * (count / 2 + random.nextInt(count / 2)) : 1_000_000;
            spec += "history_columns: {open_end: \"" + sequenceText(sequence, openEnd, random) + "\"}\n";
        }
        // Rule 5.7 in every other seed, of every kind, so each open end and fill setting meets delete rows too.
        if (seed % 2 == 0) {
            spec += "history_deletes: row\n";
        }
        if (seed % 8 == 1) {
            spec += ADDING;
        }
        Scenario scenario = Scenario.named("random changes of seed " + seed)
                .spec(spec)
                .build()
                .withFiles(files);
        return new Case(seed, scenario, batches, processing);
    }

    /** The spec line of the seeds whose files' extra column is added to the tables (rule 1.10). */
    static final String ADDING = "schema: {new_columns: add}\n";

    /** The spec as the engine runs it once the files are loaded: with {@code phone} added when the seed adds it. */
    static PipelineSpec shaped(PipelineSpec spec) {
        return spec.schema().newColumns() == SchemaPolicy.NewColumns.ADD ? spec.withAddedColumns(List.of("phone")) : spec;
    }

    /**
     * The lines with a field {@code phone} inserted at one random place of every line: digits, or empty (NULL); drawn, or
     * with {@code fromRow} taken from the row's text, so that the copies of an exact duplicate agree.
     */
    private static List<String> withPhone(List<String> lines, Random random, boolean fromRow) {
        int fields = lines.get(0).split(",", -1).length;
        int at = random.nextInt(fields + 1);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> row = new ArrayList<>(List.of(lines.get(i).split(",", -1)));
            int draw = fromRow ? Math.floorMod(lines.get(i).hashCode(), 27_000) : random.nextInt(27_000);
            row.add(at, i == 0 ? "phone" : draw % 3 == 0 ? "" : String.valueOf(1000 + draw / 3));
            result.add(String.join(",", row));
        }
        return result;
    }

    static String spec(Sequence sequence, boolean trackCityOnly) {
        String spec = switch (sequence) {
            case BIGINT -> People.SPEC;
            case TIMESTAMP -> People.SPEC.replace("seq: bigint", "seq: timestamp");
            case TIMESTAMPTZ -> People.SPEC.replace("seq: bigint", "seq: timestamptz");
            case NONE -> People.SPEC_WITHOUT_SEQUENCE;
        };
        return trackCityOnly ? spec + "track_history_columns: [city]\n" : spec;
    }

    /** Sequence number {@code n} as text of the column's type, in one of the accepted spellings. */
    private static String sequenceText(Sequence sequence, int n, Random random) {
        LocalDateTime time = BASE.plusMinutes(n).plusSeconds(n % 7);
        return switch (sequence) {
            case BIGINT -> Integer.toString(n);
            case TIMESTAMP -> time.format(DateTimeFormatter.ofPattern(random.nextBoolean()
                    ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss"));
            // The same instant written at different offsets: it must be stored in UTC (rule 1.6).
            case TIMESTAMPTZ -> OffsetDateTime.ofInstant(time.toInstant(ZoneOffset.UTC),
                            OFFSETS.get(random.nextInt(OFFSETS.size())))
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
            case NONE -> throw new IllegalArgumentException("no sequence column");
        };
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Deals {@code items} into between {@code minParts} and {@code maxParts} non-empty parts at random
     * (fewer when there are fewer items), each part shuffled.
     */
    static <T> List<List<T>> split(List<T> items, Random random, int minParts, int maxParts) {
        int parts = Math.min(items.size(), minParts + random.nextInt(maxParts - minParts + 1));
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, random);
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            result.add(new ArrayList<>(List.of(shuffled.get(i))));
        }
        for (T item : shuffled.subList(parts, shuffled.size())) {
            result.get(random.nextInt(parts)).add(item);
        }
        result.forEach(part -> Collections.shuffle(part, random));
        return result;
    }
}
