package dev.changepipe.crash;

import dev.changepipe.cli.generate.CustomerChangeGenerator;
import dev.changepipe.cli.generate.GeneratedFile;
import dev.changepipe.cli.generate.GeneratorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The crash harness's input, a function of a seed: generated customer change files (updates, deletes, late rows,
 * dirty rows), two of them landing again later under new names (the same rows loaded twice: duplicates), one
 * re-delivered under its own name (skipped as {@code redelivered}), a file with one truncate row (rule 2.4) at a
 * sequence time halfway through the generated files, and a generated file's rows again with a column the spec lacks
 * (added to the tables, rule 1.10), the last two landing anywhere among them. Every delivery has its own last-modified time,
 * so the pipeline's load order, (last-modified, name), is the same in every run that lands the same deliveries.
 */
final class CrashWorkload {
    /** The generator's logical clock; fixed so that the files do not depend on the day the test runs. */
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TRUNCATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What a delivery is to the pipeline. */
    enum Kind {
        /** A generated file: new rows. */
        GENERATED,
        /** A generated file's bytes under a new name: a different file, its rows loaded again. */
        DUPLICATE,
        /** A generated file's bytes under its own name, later: skipped and recorded as {@code redelivered}. */
        REDELIVERY,
        /** A file of one keyless truncate row ({@code op} T): every customer deleted at its sequence time. */
        TRUNCATE,
        /** A generated file's rows under a new name with a column the spec lacks: added to the tables (rule 1.10). */
        NEW_COLUMN
    }

    /**
     * One file put into the landing folder.
     *
     * @param name         the file name in the landing folder
     * @param content      the generated file with its bytes
     * @param lastModified the last-modified time it lands with
     * @param kind         what it is to the pipeline
     */
    record Delivery(String name, Path content, Instant lastModified, Kind kind) {
        boolean isRedelivery() {
            return kind == Kind.REDELIVERY;
        }

        /** For the schedule log: the name, and for a copy the file whose bytes it has. */
        String describe() {
            return switch (kind) {
                case GENERATED -> name;
                case DUPLICATE -> name + " (duplicate of " + content.getFileName() + ")";
                case REDELIVERY -> name + " (re-delivery)";
                case TRUNCATE -> name + " (truncate)";
                case NEW_COLUMN -> name + " (a generated file's rows with a column the spec lacks)";
            };
        }
    }

    private final List<Delivery> deliveries;

    private CrashWorkload(List<Delivery> deliveries) {
        this.deliveries = List.copyOf(deliveries);
    }

    /**
     * Writes {@code files} generated files into {@code staging} and plans their deliveries, the first landing at
     * {@code firstLanding} and each next one a second later.
     */
    static CrashWorkload create(Path staging, long seed, int files, int rowsPerFile, Instant firstLanding)
            throws IOException {
        GeneratorOptions options = new GeneratorOptions(files, rowsPerFile, Duration.ofSeconds(1), seed,
                0.6, 0.05, 0.1, 0.02, START);
        CustomerChangeGenerator generator = new CustomerChangeGenerator(options);
        List<Path> generated = new ArrayList<>();
        List<Delivery> order = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            GeneratedFile file = generator.writeNext(staging);
            generated.add(file.path());
            order.add(new Delivery(file.path().getFileName().toString(), file.path(), null, Kind.GENERATED));
        }
        // Separate from the generator's randomness, which is its own business.
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<Integer> originals = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            originals.add(i);
        }
        Collections.shuffle(originals, random);
        for (int copy = 0; copy < Math.min(2, originals.size()); copy++) {
            Path original = generated.get(originals.get(copy));
            // A stamp after every generated file's, as a source that sends a file again would name it.
            String name = "customer_" + FILE_STAMP.format(START.plusSeconds(files + 60L + copy)) + ".csv";
            // Lands some time after its original (the first delivery with these bytes), maybe after every other file.
            int at = indexOf(order, original);
            order.add(at + 1 + random.nextInt(order.size() - at), new Delivery(name, original, null, Kind.DUPLICATE));
        }
        // Between two generated files' rows (each file's start a second after the last, its rows a microsecond apart).
        Path truncate = staging.resolve("customer_" + FILE_STAMP.format(START.plusSeconds(files + 63L)) + ".csv");
        Files.writeString(truncate, CustomerChangeGenerator.HEADER + "\n,,,,,,,,"
                + TRUNCATE_TIME.format(START.plusSeconds(files / 2).plusMillis(500)) + ",T\n");
        order.add(random.nextInt(order.size() + 1),
                new Delivery(truncate.getFileName().toString(), truncate, null, Kind.TRUNCATE));
        Path widened = staging.resolve("customer_" + FILE_STAMP.format(START.plusSeconds(files + 64L)) + ".csv");
        Files.write(widened, withNewColumn(Files.readAllLines(generated.get(random.nextInt(files)))));
        order.add(random.nextInt(order.size() + 1), new Delivery(widened.getFileName().toString(), widened, null,
                Kind.NEW_COLUMN));
        Path again = generated.get(random.nextInt(files));
        order.add(new Delivery(again.getFileName().toString(), again, null, Kind.REDELIVERY));

        List<Delivery> timed = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Delivery d = order.get(i);
            timed.add(new Delivery(d.name(), d.content(), firstLanding.plusSeconds(i), d.kind()));
        }
        return new CrashWorkload(timed);
    }

    /** The lines with a last column {@code loyalty_tier}: a tier, or empty (NULL) in every third row. */
    private static List<String> withNewColumn(List<String> lines) {
        List<String> result = new ArrayList<>();
        result.add(lines.get(0) + ",loyalty_tier");
        for (int i = 1; i < lines.size(); i++) {
            result.add(lines.get(i) + "," + (i % 3 == 0 ? "" : i % 3 == 1 ? "gold" : "silver"));
        }
        return result;
    }

    private static int indexOf(List<Delivery> order, Path content) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).content().equals(content)) {
                return i;
            }
        }
        throw new IllegalArgumentException(content + " is not planned");
    }

    /** In load order; the re-delivery is the last, since its original must have been loaded before it lands. */
    List<Delivery> deliveries() {
        return deliveries;
    }

    /**
     * The deliveries in groups of one to {@code maxGroup} files, in load order, the re-delivery alone in the last
     * group: the crash harness lands one group at a time while it kills the pipeline.
     */
    List<List<Delivery>> groups(Random random, int maxGroup) {
        List<List<Delivery>> groups = new ArrayList<>();
        List<Delivery> rest = deliveries.subList(0, deliveries.size() - 1);
        for (int i = 0; i < rest.size(); ) {
            int size = Math.min(1 + random.nextInt(maxGroup), rest.size() - i);
            groups.add(List.copyOf(rest.subList(i, i + size)));
            i += size;
        }
        groups.add(List.of(deliveries.get(deliveries.size() - 1)));
        return groups;
    }

    /**
     * Puts a file into the landing folder with its bytes and last-modified time. A re-delivery overwrites the file
     * of the same name, as a source sending it again would. Called only while no pipeline runs, so a file is never
     * seen half-written.
     */
    static void deliver(Delivery delivery, Path landing) throws IOException {
        Files.createDirectories(landing);
        Path target = landing.resolve(delivery.name());
        Files.copy(delivery.content(), target, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(target, FileTime.from(delivery.lastModified()));
    }
}
