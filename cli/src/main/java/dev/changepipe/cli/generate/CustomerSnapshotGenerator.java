package dev.changepipe.cli.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.datafaker.Faker;

/**
 * Writes full dumps of the original project's customer table, {@code customer_<yyyyMMddHHmmss>.csv} with its eight
 * columns and no operation column: every file is the whole table as of its time (docs/semantics.md §7). Between two
 * dumps a share of the customers leave, as many new ones join, and a share of those who stay get new values, so a
 * snapshot pipeline has deletes to derive from absences.
 *
 * <p>As {@link CustomerChangeGenerator}, everything is a function of the options: equal options write byte-identical
 * files. The options' rows are the first dump's customers, its update ratio the share of customers whose values
 * change between two dumps, its delete ratio the share that leave (and join).
 */
public final class CustomerSnapshotGenerator {
    public static final String HEADER = "customer_id,first_name,last_name,email,street,city,state,country";

    private final GeneratorOptions options;
    private final Faker faker;
    private final Random decisions;
    private final TreeMap<Long, String> customers = new TreeMap<>();
    private long nextId;
    private int nextIndex;

    public CustomerSnapshotGenerator(GeneratorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.faker = new Faker(new Random(options.seed()));
        this.decisions = new Random(options.seed() * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
        for (int i = 0; i < options.rowsPerFile(); i++) {
            customers.put(nextId, values());
            nextId++;
        }
    }

    /** Writes dump number {@code index} (0-based, in order) under a temporary name, then renames it into place. */
    public GeneratedFile writeNext(Path folder) throws IOException {
        if (nextIndex >= options.files()) {
            throw new IllegalStateException("all " + options.files() + " files have been written");
        }
        if (nextIndex > 0) {
            changePopulation();
        }
        long second = options.start().getEpochSecond() + (long) nextIndex * Math.max(1, options.every().getSeconds());
        Path target = folder.resolve(CustomerChangeGenerator.fileName(second));
        for (long s = second; Files.exists(target); s++) {
            target = folder.resolve(CustomerChangeGenerator.fileName(s + 1));
        }
        Path temp = folder.resolve("." + target.getFileName() + ".part");
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(temp, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(HEADER);
            out.write('\n');
            for (var customer : customers.entrySet()) {
                out.write(Long.toString(customer.getKey()));
                out.write(',');
                out.write(customer.getValue());
                out.write('\n');
            }
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        nextIndex++;
        return new GeneratedFile(target, customers.size(), 0);
    }

    /** Writes every dump, pausing {@code every} between two, and tells {@code onFile} of each. */
    public List<GeneratedFile> writeAll(Path folder, Consumer<GeneratedFile> onFile) throws IOException, InterruptedException {
        List<GeneratedFile> written = new ArrayList<>();
        for (int i = 0; i < options.files(); i++) {
            if (i > 0 && !options.every().isZero()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(options.every().toNanos(), Duration.ofHours(1).toNanos()));
            }
            GeneratedFile file = writeNext(folder);
            onFile.accept(file);
            written.add(file);
        }
        return written;
    }

    /** Some leave, as many join, and some of those who stay change. */
    private void changePopulation() {
        int leaving = (int) Math.round(customers.size() * options.deleteRatio());
        List<Long> ids = new ArrayList<>(customers.keySet());
        for (int i = 0; i < leaving && !ids.isEmpty(); i++) {
            customers.remove(ids.remove(decisions.nextInt(ids.size())));
        }
        for (long id : ids) {
            if (decisions.nextDouble() < options.updateRatio()) {
                customers.put(id, values());
            }
        }
        for (int i = 0; i < leaving; i++) {
            customers.put(nextId, values());
            nextId++;
        }
    }

    /** A customer's seven value fields as CSV, quoted where a field needs it. */
    private String values() {
        String first = faker.name().firstName();
        String last = faker.name().lastName();
        String email = (first + "." + last).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "")
                + faker.random().nextInt(1, 9999) + "@example.com";
        StringBuilder line = new StringBuilder();
        for (String field : List.of(first, last, email, faker.address().streetAddress(), faker.address().city(),
                faker.address().state(), faker.address().country())) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            CustomerChangeGenerator.appendField(line, field);
        }
        return line.toString();
    }
}
