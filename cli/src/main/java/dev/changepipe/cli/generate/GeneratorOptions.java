package dev.changepipe.cli.generate;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link CustomerChangeGenerator} writes: how many files, how big, how often, and the mix of changes.
 *
 * <p>Validation messages name the command line option ({@code --update-ratio}, ...) because these options
 * come straight from the {@code generate} command and the user should see which flag to fix.
 *
 * @param files       number of files to write, at least 1
 * @param rowsPerFile data rows per file (header excluded), at least 1
 * @param every       wall-clock pause between files in {@code writeAll}; also the logical clock step between
 *                    files, raised to one second so file names (second resolution) stay distinct
 * @param seed        seed of all randomness; equal options give byte-identical files
 * @param updateRatio share of rows that update a live customer
 * @param deleteRatio share of rows that delete a live customer
 * @param lateRatio   share of update rows that arrive late, carrying an older timestamp
 * @param dirtyRatio  share of rows that are deliberately malformed
 * @param start       logical time of the first file and first row
 */
public record GeneratorOptions(int files, int rowsPerFile, Duration every, long seed,
        double updateRatio, double deleteRatio, double lateRatio, double dirtyRatio, Instant start) {

    /** Rounding slack so that e.g. 0.7 + 0.3 is accepted although the double sum is not exactly 1. */
    private static final double SUM_TOLERANCE = 1e-9;

    public GeneratorOptions {
        if (files < 1) {
            throw new IllegalArgumentException("--files must be at least 1, got " + files);
        }
        if (rowsPerFile < 1) {
            throw new IllegalArgumentException("--rows-per-file must be at least 1, got " + rowsPerFile);
        }
        if (every == null) {
            throw new IllegalArgumentException("--every must be given");
        }
        if (every.isNegative()) {
            throw new IllegalArgumentException("--every must not be negative, got " + every);
        }
        requireRatio("--update-ratio", updateRatio);
        requireRatio("--delete-ratio", deleteRatio);
        requireRatio("--late-ratio", lateRatio);
        requireRatio("--dirty-ratio", dirtyRatio);
        if (updateRatio + deleteRatio > 1 + SUM_TOLERANCE) {
            throw new IllegalArgumentException("--update-ratio + --delete-ratio must be at most 1, got "
                    + updateRatio + " + " + deleteRatio);
        }
        if (start == null) {
            throw new IllegalArgumentException("--start must be given");
        }
    }

    /** The demo setup: ten files of a thousand rows, one a second, mostly updates, a few deletes and late rows. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(10, 1000, Duration.ofSeconds(1), 42L,
                0.6, 0.05, 0.05, 0.0, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static void requireRatio(String option, double value) {
        // written as a negated range test so that NaN is rejected too
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " must be between 0 and 1, got " + value);
        }
    }
}
