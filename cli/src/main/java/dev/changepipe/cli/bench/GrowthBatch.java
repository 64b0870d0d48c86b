package dev.changepipe.cli.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * The growth scenario's change batches: updates of keys every seeded size has (1..{@code keys} of the
 * smallest), 5% of them late, so that exactly the same file is applied to every history table.
 */
final class GrowthBatch {
    static final double LATE_SHARE = 0.05;
    private static final String HEADER = "customer_id,first_name,last_name,email,street,city,state,country,update_timestamp,op";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    /** After every seeded change (their versions are at most two days and a few seconds after 2025-01-01). */
    private static final LocalDateTime REGULAR = LocalDateTime.parse("2025-01-05T00:00:00");
    /** Between every seeded key's first and second version. */
    private static final LocalDateTime LATE = LocalDateTime.parse("2025-01-01T12:00:00");

    private GrowthBatch() {}

    /** Writes batch number {@code index} (0 is the warm-up) as {@code folder/customer_batch_<index>.csv}. */
    static Path write(Path folder, int index, int rows, long keys) throws IOException {
        Random random = new Random(1000 + index);
        Path file = folder.resolve(String.format(Locale.ROOT, "customer_batch_%02d.csv", index));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int j = 0; j < rows; j++) {
                long k = 1 + random.nextInt((int) keys);
                boolean late = random.nextDouble() < LATE_SHARE;
                // Distinct timestamps per row; a later batch's changes come after an earlier batch's.
                LocalDateTime at = late ? LATE.plusMinutes(index).plusNanos(j * 1_000_000L)
                        : REGULAR.plusHours(index).plusNanos(j * 1000L);
                out.write(k + ",First" + (k % 997) + ",Last" + ((k + index) % 1009) + ",batch" + index + "." + j + "."
                        + k + "@example.com," + j + " Batch Road,City " + random.nextInt(701) + ",State " + (k % 50)
                        + ",Country " + (k % 193) + "," + TIMESTAMP.format(at) + ",U\n");
            }
        }
        return file;
    }
}
