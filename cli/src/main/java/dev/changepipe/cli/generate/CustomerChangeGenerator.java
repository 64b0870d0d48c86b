package dev.changepipe.cli.generate;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.datafaker.Faker;

/**
 * Writes {@code customer_<yyyyMMddHHmmss>.csv} files of inserts, updates and deletes against a stable, seeded
 * population of customers: the data source of the demo and of the benchmarks.
 *
 * <p>Everything is a function of the {@link GeneratorOptions}: time comes from a logical clock, never from the
 * wall clock, so two generators with equal options write byte-identical files. Rows stream to disk; only the
 * live customers are held in memory.
 *
 * <p>Not thread-safe, and meant to be the only writer of change files in its folder.
 */
public final class CustomerChangeGenerator {

    public static final String HEADER =
            "customer_id,first_name,last_name,email,street,city,state,country,update_timestamp,op";

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);
    private static final DateTimeFormatter ROW_SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final String BAD_TIMESTAMP = "not-a-time";
    /** Nobody waits 73 years between files; the cap keeps {@code System.nanoTime()} arithmetic from overflowing. */
    private static final long MAX_INTERVAL_NANOS = Long.MAX_VALUE / 4;
    private static final String[] MAIL_DOMAINS =
            {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com", "proton.me"};
    /** Rerolls of a value that came out unchanged; a change row should really change something. */
    private static final int MAX_REROLLS = 10;

    private final GeneratorOptions options;
    /** Draws every value (names, streets, email numbers). */
    private final Faker faker;
    /**
     * Draws every decision (which op, which customer, which fields, late, dirty). A separate stream keeps the
     * sequence of operations independent of how many draws the value generation happens to make.
     */
    private final Random decisions;
    private final long startMicros;
    private final long strideMicros;

    private final Pool live = new Pool(false);
    /** Live customers with at least one regular update: only they have a past interval a late row can land in. */
    private final Pool updated = new Pool(true);
    private long nextId = 1;
    private long lastTimestamp = Long.MIN_VALUE;
    private int nextIndex;
    /** Set while a file is being written and left set if that fails: the population then no longer matches disk. */
    private boolean broken;

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";

    public CustomerChangeGenerator(GeneratorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.faker = new Faker(new Random(options.seed()));
        this.decisions = new Random(options.seed() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        this.startMicros = toMicros(options.start());
        Duration stride = options.every().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : options.every();
        this.strideMicros = Math.addExact(Math.multiplyExact(stride.getSeconds(), MICROS_PER_SECOND),
                stride.getNano() / 1000);
    }

    /**
     * Writes file number {@code index} (0-based; files are written in order 0, 1, 2, ...) into {@code folder},
     * under a temporary name first and then renamed atomically, so a watcher never sees a partial file.
     *
     * @throws IllegalStateException if all files have been written, or an earlier write failed
     */
    public GeneratedFile writeNext(Path folder) throws IOException {
        Objects.requireNonNull(folder, "folder");
        if (broken) {
            throw new IllegalStateException("an earlier write failed; the generator's customers no longer match the files");
        }
        if (nextIndex >= options.files()) {
            throw new IllegalStateException("all " + options.files() + " files have been written");
        }
        Files.createDirectories(folder);
        long fileStart = Math.addExact(startMicros, Math.multiplyExact((long) nextIndex, strideMicros));
        Path target = freeName(folder, Math.floorDiv(fileStart, MICROS_PER_SECOND));
        // the leading dot and the suffix keep the partial file out of any customer_*.csv pattern
        Path temp = folder.resolve("." + target.getFileName() + ".part");

        broken = true;
        boolean inPlace = false;
        int dirtyRows;
        try {
            // FileOutputStream rather than Files.newOutputStream: an interrupt must not close the stream midway
            // (FileChannel is interruptible), because writeAll reacts to interrupts only between complete files.
            try (Writer out = new BufferedWriter(
                    new OutputStreamWriter(new FileOutputStream(temp.toFile()), StandardCharsets.UTF_8), 1 << 16)) {
                out.write(HEADER);
                out.write('\n');
                dirtyRows = writeRows(out, fileStart);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            inPlace = true;
        } finally {
            if (!inPlace) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanupFailure) {
                    // the failure already propagating says more than this one
                }
            }
        }
        broken = false;
        nextIndex++;
        return new GeneratedFile(target, options.rowsPerFile(), dirtyRows);
    }

    /**
     * Writes the remaining files, starting a new file every {@code every} of wall-clock time (no pause when
     * {@code every} is zero), and calls {@code onFile} after each file is in place.
     *
     * @throws InterruptedException if the thread is interrupted; checked between files, so every file that was
     *                              started is complete and was passed to {@code onFile}
     */
    public List<GeneratedFile> writeAll(Path folder, Consumer<GeneratedFile> onFile)
            throws IOException, InterruptedException {
        Objects.requireNonNull(onFile, "onFile");
        long intervalNanos = Math.min(saturatedNanos(options.every()), MAX_INTERVAL_NANOS);
        List<GeneratedFile> written = new ArrayList<>();
        long due = System.nanoTime();
        while (nextIndex < options.files()) {
            if (!written.isEmpty() && intervalNanos > 0) {
                // a fixed rate keeps "a file every minute" true even when writing takes a while; after falling
                // behind (slow disk, suspended machine) the cadence restarts instead of bursting to catch up
                due += intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else {
                    due = System.nanoTime();
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted after writing " + written.size() + " files");
            }
            GeneratedFile file = writeNext(folder);
            written.add(file);
            onFile.accept(file);
        }
        return List.copyOf(written);
    }

    private int writeRows(Writer out, long fileStart) throws IOException {
        StringBuilder line = new StringBuilder(256);
        int dirtyRows = 0;
        for (int r = 0; r < options.rowsPerFile(); r++) {
            // files of more than a second's worth of microseconds would overlap the next file's slots;
            // continuing from the last timestamp keeps the clock strictly increasing anyway
            long timestamp = Math.max(fileStart + r, lastTimestamp + 1);
            lastTimestamp = timestamp;
            line.setLength(0);
            if (decisions.nextDouble() < options.dirtyRatio()) {
                appendDirtyRow(line, timestamp);
                dirtyRows++;
            } else {
                appendChange(line, timestamp);
            }
            out.append(line);
        }
        return dirtyRows;
    }

    private void appendChange(StringBuilder line, long timestamp) {
        if (live.isEmpty()) {
            appendInsert(line, timestamp);
            return;
        }
        double draw = decisions.nextDouble();
        if (draw < options.deleteRatio()) {
            appendDelete(line, timestamp);
        } else if (draw < options.deleteRatio() + options.updateRatio()) {
            appendUpdate(line, timestamp);
        } else {
            appendInsert(line, timestamp);
        }
    }

    private void appendInsert(StringBuilder line, long timestamp) {
        String firstName = faker.name().firstName();
        String lastName = faker.name().lastName();
        Customer customer = new Customer(nextId++, firstName, lastName, email(firstName, lastName),
                street(), faker.address().city(), faker.address().state(), faker.address().country());
        customer.lastTimestamp = timestamp;
        live.add(customer);
        appendRow(line, Long.toString(customer.id), customer, false);
        appendTimestamp(line, timestamp);
        appendOp(line, 'I');
    }

    /** The delete image carries the last known values, as a database's CDC delete record does. */
    private void appendDelete(StringBuilder line, long timestamp) {
        Customer customer = live.pick(decisions);
        // ids are never reused and nothing refers to a deleted customer again, so it can leave memory
        live.remove(customer);
        updated.remove(customer);
        appendRow(line, Long.toString(customer.id), customer, false);
        appendTimestamp(line, timestamp);
        appendOp(line, 'D');
    }

    private void appendUpdate(StringBuilder line, long timestamp) {
        boolean late = decisions.nextDouble() < options.lateRatio();
        if (late && !updated.isEmpty()) {
            Customer customer = updated.pick(decisions);
            // below the earliest late row already sent for this interval, so the customer's timestamps stay unique
            long upper = Math.min(customer.lastTimestamp, customer.earliestLate);
            long lower = customer.previousTimestamp;
            if (upper - lower >= 2) {
                long lateTimestamp = lower + 1 + decisions.nextLong(upper - lower - 1);
                customer.earliestLate = lateTimestamp;
                // an old change arriving out of order: written, but never the base of later changes
                Customer oldChange = customer.copy();
                changeSomeFields(oldChange);
                appendRow(line, Long.toString(oldChange.id), oldChange, false);
                appendTimestamp(line, lateTimestamp);
                appendOp(line, 'U');
                return;
            }
            appendRegularUpdate(line, customer, timestamp);
            return;
        }
        appendRegularUpdate(line, live.pick(decisions), timestamp);
    }

    private void appendRegularUpdate(StringBuilder line, Customer customer, long timestamp) {
        changeSomeFields(customer);
        customer.previousTimestamp = customer.lastTimestamp;
        customer.lastTimestamp = timestamp;
        customer.earliestLate = Long.MAX_VALUE;
        if (!updated.contains(customer)) {
            updated.add(customer);
        }
        appendRow(line, Long.toString(customer.id), customer, false);
        appendTimestamp(line, timestamp);
        appendOp(line, 'U');
    }

    /** Changes one, two or all three of: email, address (a move), last name. */
    private void changeSomeFields(Customer customer) {
        int count = 1 + decisions.nextInt(3);
        int pivot = decisions.nextInt(3);
        for (int field = 0; field < 3; field++) {
            boolean change = count == 3 || (count == 1 ? field == pivot : field != pivot);
            if (!change) {
                continue;
            }
            switch (field) {
                case 0 -> customer.email = reroll(customer.email, () -> email(customer.firstName, customer.lastName));
                case 1 -> {
                    String oldStreet = customer.street;
                    customer.street = reroll(oldStreet, this::street);
                    customer.city = faker.address().city();
                    customer.state = faker.address().state();
                }
                default -> customer.lastName = reroll(customer.lastName, () -> faker.name().lastName());
            }
        }
    }

    private static String reroll(String current, Supplier<String> next) {
        String value = next.get();
        for (int i = 0; i < MAX_REROLLS && value.equals(current); i++) {
            value = next.get();
        }
        return value;
    }

    /**
     * A row that a loader must reject without losing its neighbours: never an open quote, never a line break.
     * It is based on a live customer's values but changes nothing in the population.
     */
    private void appendDirtyRow(StringBuilder line, long timestamp) {
        Customer base;
        char op;
        if (live.isEmpty()) {
            String firstName = faker.name().firstName();
            String lastName = faker.name().lastName();
            base = new Customer(nextId, firstName, lastName, email(firstName, lastName),
                    street(), faker.address().city(), faker.address().state(), faker.address().country());
            op = 'I';
        } else {
            base = live.pick(decisions);
            op = 'U';
        }
        String key = Long.toString(base.id);
        switch (decisions.nextInt(3)) {
            case 0 -> {
                if (decisions.nextBoolean()) {
                    appendRow(line, "abc" + base.id, base, false);
                    appendTimestamp(line, timestamp);
                } else {
                    appendRow(line, key, base, false);
                    line.append(BAD_TIMESTAMP);
                }
            }
            case 1 -> {
                appendRow(line, "", base, false);
                appendTimestamp(line, timestamp);
            }
            default -> {
                appendRow(line, key, base, true);
                appendTimestamp(line, timestamp);
            }
        }
        appendOp(line, op);
    }

    /**
     * Appends the key and value fields and the comma before update_timestamp. With {@code extraField} the last
     * name goes out unquoted with a ", Jr" suffix, which splits it into two fields.
     */
    private static void appendRow(StringBuilder line, String key, Customer values, boolean extraField) {
        appendField(line, key);
        line.append(',');
        appendField(line, values.firstName);
        line.append(',');
        if (extraField) {
            for (int i = 0; i < values.lastName.length(); i++) {
                char c = values.lastName.charAt(i);
                // a stray quote or line break here would swallow the following rows, not just break this one
                if (c != '"' && c != ',' && c != '\n' && c != '\r') {
                    line.append(c);
                }
            }
            line.append(", Jr");
        } else {
            appendField(line, values.lastName);
        }
        line.append(',');
        appendField(line, values.email);
        line.append(',');
        appendField(line, values.street);
        line.append(',');
        appendField(line, values.city);
        line.append(',');
        appendField(line, values.state);
        line.append(',');
        appendField(line, values.country);
        line.append(',');
    }

    private static void appendOp(StringBuilder line, char op) {
        line.append(',').append(op).append('\n');
    }

    /** RFC 4180: quote a field only when it holds the delimiter, a quote or a line break; double inner quotes. */
    static void appendField(StringBuilder line, String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC; the seconds part is cached since consecutive rows share it. */
    private void appendTimestamp(StringBuilder line, long epochMicros) {
        long second = Math.floorDiv(epochMicros, MICROS_PER_SECOND);
        int micros = (int) Math.floorMod(epochMicros, MICROS_PER_SECOND);
        if (second != cachedSecond) {
            cachedSecondText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).format(ROW_SECOND) + '.';
            cachedSecond = second;
        }
        line.append(cachedSecondText);
        for (int divisor = 100_000; divisor > 0; divisor /= 10) {
            line.append((char) ('0' + micros / divisor % 10));
        }
    }

    /** Mostly plain addresses; some with an apartment before a comma, a few with a quoted house name. */
    private String street() {
        String street = faker.address().streetAddress();
        int shape = faker.random().nextInt(100);
        if (shape < 2) {
            return '"' + faker.name().lastName() + " House\", " + street;
        }
        if (shape < 10) {
            return faker.address().secondaryAddress() + ", " + street;
        }
        return street;
    }

    private String email(String firstName, String lastName) {
        StringBuilder local = new StringBuilder(firstName.length() + lastName.length() + 5);
        appendEmailLetters(local, firstName);
        local.append('.');
        appendEmailLetters(local, lastName);
        local.append(faker.random().nextInt(1, 9999));
        // picked here rather than by faker.internet().emailAddress(), which runs IDN and regex checks on every
        // call and would take most of the generator's time
        return local.append('@').append(MAIL_DOMAINS[faker.random().nextInt(MAIL_DOMAINS.length)]).toString();
    }

    /** Keeps letters and digits only, so O'Hara becomes ohara. */
    private static void appendEmailLetters(StringBuilder local, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                local.append(c);
            }
        }
    }

    /** The file's logical second, or the next second whose name is still free in the folder. */
    private static Path freeName(Path folder, long epochSecond) {
        long second = epochSecond;
        Path candidate = folder.resolve(fileName(second));
        while (Files.exists(candidate)) {
            second++;
            candidate = folder.resolve(fileName(second));
        }
        return candidate;
    }

    static String fileName(long epochSecond) {
        return "customer_" + LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).format(FILE_STAMP) + ".csv";
    }

    private static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** A customer as last written by a regular (not late) row. */
    private static final class Customer {
        final long id;
        final String firstName;
        String lastName;
        String email;
        String street;
        String city;
        String state;
        final String country;
        long lastTimestamp;
        /** The regular timestamp before {@link #lastTimestamp}; late rows land strictly between the two. */
        long previousTimestamp = Long.MIN_VALUE;
        /** The earliest late timestamp sent since the last regular update. */
        long earliestLate = Long.MAX_VALUE;
        int liveSlot = -1;
        int updatedSlot = -1;

        Customer(long id, String firstName, String lastName, String email, String street, String city, String state,
                String country) {
            this.id = id;
            this.firstName = firstName;
            this.lastName = lastName;
            this.email = email;
            this.street = street;
            this.city = city;
            this.state = state;
            this.country = country;
        }

        Customer copy() {
            return new Customer(id, firstName, lastName, email, street, city, state, country);
        }
    }

    /**
     * Customers in an array for picks in constant time; a removal moves the last member into the gap. Each
     * customer remembers its position, so removal needs no search either.
     */
    private static final class Pool {
        private final List<Customer> members = new ArrayList<>();
        private final boolean usesUpdatedSlot;

        Pool(boolean usesUpdatedSlot) {
            this.usesUpdatedSlot = usesUpdatedSlot;
        }

        boolean isEmpty() {
            return members.isEmpty();
        }

        boolean contains(Customer customer) {
            return slot(customer) >= 0;
        }

        Customer pick(Random random) {
            return members.get(random.nextInt(members.size()));
        }

        void add(Customer customer) {
            setSlot(customer, members.size());
            members.add(customer);
        }

        void remove(Customer customer) {
            int slot = slot(customer);
            if (slot < 0) {
                return;
            }
            Customer last = members.remove(members.size() - 1);
            if (last != customer) {
                members.set(slot, last);
                setSlot(last, slot);
            }
            setSlot(customer, -1);
        }

        private int slot(Customer customer) {
            return usesUpdatedSlot ? customer.updatedSlot : customer.liveSlot;
        }

        private void setSlot(Customer customer, int slot) {
            if (usesUpdatedSlot) {
                customer.updatedSlot = slot;
            } else {
                customer.liveSlot = slot;
            }
        }
    }
}
