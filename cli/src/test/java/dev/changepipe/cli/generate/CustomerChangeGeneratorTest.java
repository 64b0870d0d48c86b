package dev.changepipe.cli.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CustomerChangeGeneratorTest {

    private static final String HEADER =
            "customer_id,first_name,last_name,email,street,city,state,country,update_timestamp,op";
    private static final Pattern FILE_NAME = Pattern.compile("customer_\\d{14}\\.csv");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter NAME_STAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- determinism

    @Test
    void equalOptionsGiveByteIdenticalFiles() throws Exception {
        GeneratorOptions options = options(5, 2000, 0.6, 0.05, 0.1, 0.05, 11L);
        List<GeneratedFile> first = writeAll(options, dir.resolve("a"));
        List<GeneratedFile> second = writeAll(options, dir.resolve("b"));

        assertThat(names(second)).isEqualTo(names(first));
        for (int i = 0; i < first.size(); i++) {
            assertThat(Files.readAllBytes(second.get(i).path()))
                    .as(names(first).get(i))
                    .isEqualTo(Files.readAllBytes(first.get(i).path()));
        }
    }

    @Test
    void writeNextThenWriteAllContinuesTheSameSequence() throws Exception {
        GeneratorOptions options = options(4, 500, 0.6, 0.05, 0.1, 0.05, 3L);
        List<GeneratedFile> together = writeAll(options, dir.resolve("together"));

        CustomerChangeGenerator stepwise = new CustomerChangeGenerator(options);
        List<GeneratedFile> split = new ArrayList<>();
        split.add(stepwise.writeNext(dir.resolve("split")));
        split.addAll(stepwise.writeAll(dir.resolve("split"), file -> { }));

        assertThat(names(split)).isEqualTo(names(together));
        for (int i = 0; i < together.size(); i++) {
            assertThat(Files.readAllBytes(split.get(i).path())).isEqualTo(Files.readAllBytes(together.get(i).path()));
        }
    }

    @Test
    void differentSeedGivesDifferentContent() throws Exception {
        List<GeneratedFile> seven = writeAll(options(2, 500, 0.6, 0.05, 0.05, 0, 7L), dir.resolve("seven"));
        List<GeneratedFile> eight = writeAll(options(2, 500, 0.6, 0.05, 0.05, 0, 8L), dir.resolve("eight"));

        assertThat(names(eight)).isEqualTo(names(seven));
        for (int i = 0; i < seven.size(); i++) {
            assertThat(Files.readString(eight.get(i).path())).isNotEqualTo(Files.readString(seven.get(i).path()));
        }
    }

    // ---------------------------------------------------------------- format

    @Test
    void filesHaveTheHeaderTenColumnsAndQuotedValuesWhereNeeded() throws Exception {
        List<GeneratedFile> files = writeAll(options(3, 2000, 0.6, 0.05, 0.05, 0, 5L), dir);

        boolean sawComma = false;
        boolean sawQuote = false;
        boolean sawApostrophe = false;
        for (GeneratedFile file : files) {
            String text = Files.readString(file.path(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\r");
            List<List<String>> records = parseStrict(text);
            assertThat(String.join(",", records.get(0))).isEqualTo(HEADER);
            assertThat(text).startsWith(HEADER + "\n");
            assertThat(records).hasSize(file.rows() + 1);
            assertThat(file.rows()).isEqualTo(2000);
            for (List<String> fields : records.subList(1, records.size())) {
                assertThat(fields).hasSize(10);
                assertThat(classify(fields)).as("%s", fields).isEqualTo(Dirt.NONE);
                for (String value : fields) {
                    sawComma |= value.contains(",");
                    sawQuote |= value.contains("\"");
                    sawApostrophe |= value.contains("'");
                }
            }
        }
        assertThat(sawComma).as("some value contains a comma").isTrue();
        assertThat(sawQuote).as("some value contains a quote").isTrue();
        assertThat(sawApostrophe).as("some value contains an apostrophe").isTrue();
    }

    @Test
    void fileNamesAreUniqueAndFollowTheLogicalClock() throws Exception {
        List<GeneratedFile> everySecond = writeAll(options(5, 10, 0.6, 0.05, 0, 0, 1L), dir.resolve("zero"));
        assertThat(names(everySecond)).containsExactly(
                "customer_20260101000000.csv", "customer_20260101000001.csv", "customer_20260101000002.csv",
                "customer_20260101000003.csv", "customer_20260101000004.csv");

        // writeNext never sleeps, so a long interval only moves the logical clock
        GeneratorOptions slow = new GeneratorOptions(3, 10, Duration.ofSeconds(90), 1L, 0.6, 0.05, 0, 0, START);
        CustomerChangeGenerator generator = new CustomerChangeGenerator(slow);
        List<GeneratedFile> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(generator.writeNext(dir.resolve("slow")));
        }
        assertThat(names(files)).containsExactly(
                "customer_20260101000000.csv", "customer_20260101000130.csv", "customer_20260101000300.csv");
        assertThat(names(files)).allMatch(name -> FILE_NAME.matcher(name).matches());
    }

    @Test
    void existingNamesAreSkippedSecondBySecond() throws Exception {
        Files.createDirectories(dir);
        Path existing = dir.resolve("customer_20260101000000.csv");
        Files.writeString(existing, "someone else's file\n");

        List<GeneratedFile> files = writeAll(options(3, 10, 0.6, 0.05, 0, 0, 1L), dir);

        assertThat(names(files)).containsExactly(
                "customer_20260101000001.csv", "customer_20260101000002.csv", "customer_20260101000003.csv");
        assertThat(Files.readString(existing)).isEqualTo("someone else's file\n");
        assertThat(Set.copyOf(names(files))).hasSize(3);
    }

    @Test
    void noTemporaryFilesRemainAndOnFileSeesEachFileInPlace() throws Exception {
        List<GeneratedFile> seen = new ArrayList<>();
        CustomerChangeGenerator generator = new CustomerChangeGenerator(options(4, 300, 0.6, 0.05, 0.05, 0.05, 2L));
        List<GeneratedFile> files = generator.writeAll(dir, file -> {
            assertThat(file.path()).exists().hasParent(dir);
            seen.add(file);
        });

        assertThat(seen).isEqualTo(files);
        try (Stream<Path> listing = Files.list(dir)) {
            List<String> all = listing.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertThat(all).isEqualTo(names(files));
            assertThat(all).allMatch(name -> FILE_NAME.matcher(name).matches());
        }
    }

    @Test
    void aWatcherNeverSeesAPartialFile() throws Exception {
        int rows = 60_000;
        GeneratorOptions options = options(4, rows, 0.6, 0.05, 0.05, 0.01, 9L);
        Files.createDirectories(dir);
        Map<String, Boolean> completeWhenFirstSeen = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> watcherFailure = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            try {
                while (!done.get()) {
                    try (Stream<Path> listing = Files.list(dir)) {
                        for (Path path : listing.collect(Collectors.toList())) {
                            String name = path.getFileName().toString();
                            if (FILE_NAME.matcher(name).matches() && !completeWhenFirstSeen.containsKey(name)) {
                                String text = Files.readString(path);
                                long lines = text.chars().filter(c -> c == '\n').count();
                                completeWhenFirstSeen.put(name, text.endsWith("\n") && lines == rows + 1);
                            }
                        }
                    }
                }
            } catch (Throwable e) {
                watcherFailure.set(e);
            }
        });
        watcher.start();
        List<GeneratedFile> files;
        try {
            files = new CustomerChangeGenerator(options).writeAll(dir, file -> { });
        } finally {
            done.set(true);
            watcher.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(watcherFailure.get()).isNull();
        assertThat(completeWhenFirstSeen).as("the watcher saw files while they were written").isNotEmpty();
        assertThat(completeWhenFirstSeen).allSatisfy((name, complete) -> assertThat(complete).as(name).isTrue());
        assertThat(completeWhenFirstSeen.keySet()).isSubsetOf(names(files));
    }

    // ---------------------------------------------------------------- content semantics

    @Test
    void ratiosAreRoughlyHonouredOnTwentyThousandRows() throws Exception {
        List<Row> rows = rows(writeAll(options(20, 1000, 0.6, 0.05, 0.05, 0, 13L), dir));
        assertThat(rows).hasSize(20_000);

        Replay replay = replay(rows);
        double total = rows.size();
        assertThat(replay.inserts / total).isCloseTo(0.35, within(0.03));
        assertThat(replay.updates / total).isCloseTo(0.60, within(0.03));
        assertThat(replay.deletes / total).isCloseTo(0.05, within(0.015));
        assertThat(replay.lateRows.size() / (double) replay.updates).isCloseTo(0.05, within(0.015));
    }

    @Test
    void changesReferToLiveCustomersAndCarryTheirLastValues() throws Exception {
        // many late rows and deletes, so a late row right before a delete is bound to happen
        List<Row> rows = rows(writeAll(options(10, 2000, 0.5, 0.1, 0.3, 0, 21L), dir));

        Replay replay = replay(rows);
        assertThat(replay.problems).isEmpty();
        assertThat(replay.deletes).isPositive();
        assertThat(replay.deletesRightAfterDifferentLateRow)
                .as("deletes right after a late row with other values, where a late row wrongly kept as last values would show")
                .isPositive();
    }

    @Test
    void regularRowsFollowTheLogicalClockAndTimestampsAreUniquePerCustomer() throws Exception {
        List<Row> rows = rows(writeAll(options(6, 1500, 0.6, 0.05, 0.1, 0, 17L), dir));

        Replay replay = replay(rows);
        Set<Row> late = new HashSet<>(replay.lateRows);
        long previous = Long.MIN_VALUE;
        for (Row row : rows) {
            if (late.contains(row)) {
                continue;
            }
            long expected = micros(START) + row.file * 1_000_000L + row.index;
            assertThat(micros(row.timestamp())).as("file %d row %d", row.file, row.index).isEqualTo(expected);
            assertThat(expected).isGreaterThan(previous);
            previous = expected;
        }
        Map<String, Set<LocalDateTime>> perCustomer = new HashMap<>();
        for (Row row : rows) {
            assertThat(perCustomer.computeIfAbsent(row.id(), id -> new HashSet<>()).add(row.timestamp()))
                    .as("timestamp %s of customer %s is unique", row.timestamp(), row.id())
                    .isTrue();
        }
    }

    @Test
    void lateRowsAreOlderUpdatesOnlyWhenAskedFor() throws Exception {
        Replay withLate = replay(rows(writeAll(options(5, 2000, 0.6, 0.05, 0.1, 0, 4L), dir.resolve("late"))));
        assertThat(withLate.lateRows).isNotEmpty();
        assertThat(withLate.lateRows).allSatisfy(row -> assertThat(row.op()).isEqualTo("U"));
        assertThat(withLate.problems).isEmpty();

        Replay withoutLate = replay(rows(writeAll(options(5, 2000, 0.6, 0.05, 0, 0, 4L), dir.resolve("none"))));
        assertThat(withoutLate.lateRows).isEmpty();
        assertThat(withoutLate.updates).isPositive();
    }

    @Test
    void noDirtyRowsWithoutDirtyRatio() throws Exception {
        List<GeneratedFile> files = writeAll(options(4, 2000, 0.6, 0.05, 0.05, 0, 6L), dir);

        assertThat(files).allSatisfy(file -> assertThat(file.dirtyRows()).isZero());
        assertThat(rows(files)).allSatisfy(row -> assertThat(classify(row.fields)).isEqualTo(Dirt.NONE));
    }

    @Test
    void dirtyRowsComeInEveryKindAndLeaveTheRestIntact() throws Exception {
        List<GeneratedFile> files = writeAll(options(10, 2000, 0.6, 0.05, 0.05, 0.1, 8L), dir);

        Map<Dirt, Integer> kinds = new EnumMap<>(Dirt.class);
        int lines = 0;
        for (GeneratedFile file : files) {
            String text = Files.readString(file.path());
            lines += (int) text.chars().filter(c -> c == '\n').count() - 1;
            List<List<String>> records = parseStrict(text);
            int dirtyHere = 0;
            for (List<String> fields : records.subList(1, records.size())) {
                Dirt dirt = classify(fields);
                kinds.merge(dirt, 1, Integer::sum);
                if (dirt != Dirt.NONE) {
                    dirtyHere++;
                }
            }
            assertThat(dirtyHere).as(file.path().getFileName().toString()).isEqualTo(file.dirtyRows());
        }
        int rowCount = files.stream().mapToInt(GeneratedFile::rows).sum();
        assertThat(lines).as("one physical line per row: no dirty row swallows its neighbours").isEqualTo(rowCount);
        assertThat(kinds).doesNotContainKey(Dirt.OTHER);
        assertThat(kinds).containsKeys(Dirt.BAD_KEY, Dirt.BAD_TIMESTAMP, Dirt.MISSING_KEY, Dirt.EXTRA_FIELD);
        int dirty = rowCount - kinds.get(Dirt.NONE);
        assertThat(dirty / (double) rowCount).isCloseTo(0.1, within(0.015));

        // the clean rows alone must still tell a consistent story: dirty rows changed no customer
        Replay replay = replay(rows(files));
        assertThat(replay.problems).isEmpty();
        assertThat(replay.inserts + replay.updates + replay.deletes).isEqualTo(rowCount - dirty);
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void writeNextRefusesToGoBeyondTheLastFile() throws Exception {
        CustomerChangeGenerator generator = new CustomerChangeGenerator(options(1, 10, 0.6, 0.05, 0, 0, 1L));
        generator.writeNext(dir);

        assertThatThrownBy(() -> generator.writeNext(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 1 files");
    }

    @Test
    void anInterruptDuringThePauseStopsWriteAll() throws Exception {
        GeneratorOptions options = new GeneratorOptions(3, 10, Duration.ofMinutes(10), 1L, 0.6, 0.05, 0, 0, START);
        CountDownLatch firstFile = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                new CustomerChangeGenerator(options).writeAll(dir, file -> firstFile.countDown());
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        writer.start();
        assertThat(firstFile.await(30, TimeUnit.SECONDS)).isTrue();
        writer.interrupt();
        writer.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(writer.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactly("customer_20260101000000.csv");
        }
    }

    @Test
    void anAlreadyInterruptedThreadWritesNothing() throws Exception {
        CustomerChangeGenerator generator = new CustomerChangeGenerator(options(3, 10, 0.6, 0.05, 0, 0, 1L));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> generator.writeAll(dir, file -> { })).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        Files.createDirectories(dir);
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    // ---------------------------------------------------------------- options

    @Test
    void defaultsAreTheDemoSetup() {
        assertThat(GeneratorOptions.defaults()).isEqualTo(new GeneratorOptions(10, 1000, Duration.ofSeconds(1), 42L,
                0.6, 0.05, 0.05, 0.0, Instant.parse("2026-01-01T00:00:00Z")));
    }

    static Stream<Arguments> invalidOptions() {
        Duration second = Duration.ofSeconds(1);
        return Stream.of(
                Arguments.of(new Object[] {0, 10, second, 0.6, 0.05, 0.0, 0.0, START}, "--files must be at least 1, got 0"),
                Arguments.of(new Object[] {1, 0, second, 0.6, 0.05, 0.0, 0.0, START}, "--rows-per-file must be at least 1"),
                Arguments.of(new Object[] {1, 10, Duration.ofSeconds(-1), 0.6, 0.05, 0.0, 0.0, START}, "--every"),
                Arguments.of(new Object[] {1, 10, null, 0.6, 0.05, 0.0, 0.0, START}, "--every"),
                Arguments.of(new Object[] {1, 10, second, 1.5, 0.0, 0.0, 0.0, START},
                        "--update-ratio must be between 0 and 1, got 1.5"),
                Arguments.of(new Object[] {1, 10, second, 0.6, -0.1, 0.0, 0.0, START}, "--delete-ratio"),
                Arguments.of(new Object[] {1, 10, second, 0.6, 0.05, 2.0, 0.0, START}, "--late-ratio"),
                Arguments.of(new Object[] {1, 10, second, 0.6, 0.05, 0.0, Double.NaN, START}, "--dirty-ratio"),
                Arguments.of(new Object[] {1, 10, second, 0.7, 0.4, 0.0, 0.0, START},
                        "--update-ratio + --delete-ratio must be at most 1"),
                Arguments.of(new Object[] {1, 10, second, 0.6, 0.05, 0.0, 0.0, null}, "--start"));
    }

    @ParameterizedTest
    @MethodSource("invalidOptions")
    void invalidOptionsAreRejectedNamingTheOption(Object[] values, String message) {
        assertThatThrownBy(() -> new GeneratorOptions((Integer) values[0], (Integer) values[1], (Duration) values[2],
                1L, (Double) values[3], (Double) values[4], (Double) values[5], (Double) values[6], (Instant) values[7]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void boundaryOptionsAreAccepted() {
        assertThat(new GeneratorOptions(1, 1, Duration.ZERO, 0L, 0.7, 0.3, 1.0, 1.0, START).updateRatio())
                .isEqualTo(0.7);
    }

    // ---------------------------------------------------------------- throughput

    @Test
    void measuresRowsPerSecond() throws Exception {
        GeneratorOptions options = options(2, 100_000, 0.6, 0.05, 0.05, 0.0, 42L);
        long began = System.nanoTime();
        List<GeneratedFile> files = new CustomerChangeGenerator(options).writeAll(dir, file -> { });
        long nanos = System.nanoTime() - began;

        int rows = files.stream().mapToInt(GeneratedFile::rows).sum();
        long bytes = 0;
        for (GeneratedFile file : files) {
            bytes += Files.size(file.path());
        }
        System.out.printf("CustomerChangeGenerator: %d rows (%.1f MB) in %d ms = %.0f rows/s%n",
                rows, bytes / 1e6, TimeUnit.NANOSECONDS.toMillis(nanos), rows / (nanos / 1e9));
        assertThat(rows).isEqualTo(200_000);
    }

    // ---------------------------------------------------------------- helpers

    private static GeneratorOptions options(int files, int rows, double update, double delete, double late,
            double dirty, long seed) {
        return new GeneratorOptions(files, rows, Duration.ZERO, seed, update, delete, late, dirty, START);
    }

    private static List<GeneratedFile> writeAll(GeneratorOptions options, Path folder)
            throws IOException, InterruptedException {
        return new CustomerChangeGenerator(options).writeAll(folder, file -> { });
    }

    private static List<String> names(List<GeneratedFile> files) {
        return files.stream().map(f -> f.path().getFileName().toString()).collect(Collectors.toList());
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static long micros(LocalDateTime timestamp) {
        return micros(timestamp.toInstant(ZoneOffset.UTC));
    }

    /** The data rows of the files, in write order, each parsed strictly. */
    private static List<Row> rows(List<GeneratedFile> files) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int file = 0; file < files.size(); file++) {
            List<List<String>> records = parseStrict(Files.readString(files.get(file).path()));
            assertThat(String.join(",", records.get(0))).isEqualTo(HEADER);
            for (int index = 1; index < records.size(); index++) {
                rows.add(new Row(file, index - 1, records.get(index)));
            }
        }
        return rows;
    }

    /**
     * Replays the clean rows in write order against a model of the population and lists every inconsistency.
     * A row is late when its timestamp is older than one already seen for the same customer.
     */
    private static Replay replay(List<Row> rows) {
        Replay replay = new Replay();
        Map<String, List<String>> lastRegular = new HashMap<>();
        Map<String, LocalDateTime> latest = new HashMap<>();
        Map<String, Row> previousRow = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        long nextId = 1;
        for (Row row : rows) {
            if (classify(row.fields) != Dirt.NONE) {
                continue;
            }
            String id = row.id();
            List<String> values = row.fields.subList(1, 8);
            LocalDateTime before = latest.get(id);
            boolean late = before != null && row.timestamp().isBefore(before);
            switch (row.op()) {
                case "I" -> {
                    replay.inserts++;
                    if (!id.equals(Long.toString(nextId))) {
                        replay.problems.add(row + ": insert of id " + id + ", expected " + nextId);
                    }
                    nextId = Long.parseLong(id) + 1;
                    lastRegular.put(id, values);
                }
                case "U" -> {
                    replay.updates++;
                    List<String> last = lastRegular.get(id);
                    if (last == null || deleted.contains(id)) {
                        replay.problems.add(row + ": update of a customer that is not live");
                    } else if (!values.get(0).equals(last.get(0)) || !values.get(6).equals(last.get(6))) {
                        replay.problems.add(row + ": first_name or country changed, was " + last);
                    } else if (late) {
                        replay.lateRows.add(row);
                    } else if (values.equals(last)) {
                        replay.problems.add(row + ": update changes nothing");
                    } else {
                        lastRegular.put(id, values);
                    }
                }
                case "D" -> {
                    replay.deletes++;
                    List<String> last = lastRegular.get(id);
                    if (last == null || !deleted.add(id)) {
                        replay.problems.add(row + ": delete of a customer that is not live");
                    } else if (!values.equals(last)) {
                        replay.problems.add(row + ": delete does not carry the last values " + last);
                    }
                    Row previous = previousRow.get(id);
                    if (previous != null && replay.lateRows.contains(previous)
                            && !previous.fields.subList(1, 8).equals(last)) {
                        replay.deletesRightAfterDifferentLateRow++;
                    }
                }
                default -> replay.problems.add(row + ": unknown op");
            }
            if (late && !row.op().equals("U")) {
                replay.problems.add(row + ": only updates may arrive late");
            }
            if (!late) {
                latest.put(id, row.timestamp());
            }
            previousRow.put(id, row);
        }
        return replay;
    }

    private static final class Replay {
        int inserts;
        int updates;
        int deletes;
        int deletesRightAfterDifferentLateRow;
        final List<Row> lateRows = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
    }

    private record Row(int file, int index, List<String> fields) {
        String id() {
            return fields.get(0);
        }

        LocalDateTime timestamp() {
            return LocalDateTime.parse(fields.get(8), TIMESTAMP);
        }

        String op() {
            return fields.get(9);
        }

        @Override
        public String toString() {
            return "file " + file + " row " + index + " " + fields;
        }
    }

    private enum Dirt { NONE, BAD_KEY, BAD_TIMESTAMP, MISSING_KEY, EXTRA_FIELD, OTHER }

    private static Dirt classify(List<String> fields) {
        if (fields.size() == 11) {
            return Dirt.EXTRA_FIELD;
        }
        if (fields.size() != 10) {
            return Dirt.OTHER;
        }
        if (fields.get(0).isEmpty()) {
            return Dirt.MISSING_KEY;
        }
        if (!fields.get(0).matches("[1-9][0-9]*")) {
            return Dirt.BAD_KEY;
        }
        try {
            LocalDateTime.parse(fields.get(8), TIMESTAMP);
        } catch (DateTimeParseException e) {
            return Dirt.BAD_TIMESTAMP;
        }
        if (!Set.of("I", "U", "D").contains(fields.get(9))) {
            return Dirt.OTHER;
        }
        for (String value : fields.subList(1, 8)) {
            if (value.isBlank()) {
                return Dirt.OTHER;
            }
        }
        if (!fields.get(3).matches("[a-z0-9.]+@[a-z0-9.-]+\\.[a-z]+")) {
            return Dirt.OTHER;
        }
        return Dirt.NONE;
    }

    /**
     * A strict RFC 4180 reader: comma, double quote, {@code \n} records. It rejects what lenient readers repair
     * (an unterminated quote, a quote inside an unquoted field, text after a closing quote, a missing final line
     * end), so a quoting bug in the writer cannot hide.
     */
    static List<List<String>> parseStrict(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean atFieldStart = true;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (atFieldStart && c == '"') {
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("unterminated quote in record " + (records.size() + 1));
                    }
                    char q = text.charAt(i++);
                    if (q != '"') {
                        field.append(q);
                    } else if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                    throw new IllegalArgumentException("text after a closing quote in record " + (records.size() + 1));
                }
                atFieldStart = false;
                continue;
            }
            i++;
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                atFieldStart = true;
            } else if (c == '"' || c == '\r') {
                throw new IllegalArgumentException("stray " + (c == '"' ? "quote" : "carriage return")
                        + " in an unquoted field of record " + (records.size() + 1));
            } else {
                field.append(c);
                atFieldStart = false;
            }
        }
        if (!fields.isEmpty() || field.length() > 0 || !atFieldStart) {
            throw new IllegalArgumentException("the last record has no line end");
        }
        return records;
    }

    @Test
    void theStrictReaderRejectsBrokenQuoting() {
        assertThat(parseStrict("a,\"b,\"\"c\"\"\",\n")).containsExactly(List.of("a", "b,\"c\"", ""));
        assertThatThrownBy(() -> parseStrict("a,\"b\n")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> parseStrict("a,b\"c\n")).hasMessageContaining("stray quote");
        assertThatThrownBy(() -> parseStrict("a,\"b\"c\n")).hasMessageContaining("after a closing quote");
        assertThatThrownBy(() -> parseStrict("a,b")).hasMessageContaining("no line end");
    }

    @Test
    void fileNameStampIsUtc() {
        Instant instant = Instant.parse("2026-03-04T05:06:07Z");
        assertThat(CustomerChangeGenerator.fileName(instant.getEpochSecond()))
                .isEqualTo("customer_" + NAME_STAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) + ".csv")
                .isEqualTo("customer_20260304050607.csv");
    }
}
