package dev.changepipe.csv;

/**
 * Counts of one read of a landed file; {@code firstError} is "line N: column: reason" or null;
 * {@code contentHash} is the SHA-256 of the bytes read, to tell whether the file changed since it was found;
 * {@code checks} the rows that failed each quality check; {@code drift} how its header differed from the spec.
 */
public record ReadSummary(long rowsAccepted, long rowsRejected, String firstError, String contentHash,
        CheckCounts checks, HeaderDrift drift) {
    public ReadSummary {
        checks = checks == null ? CheckCounts.NONE : checks;
        drift = drift == null ? HeaderDrift.NONE : drift;
    }

    public ReadSummary(long rowsAccepted, long rowsRejected, String firstError, String contentHash) {
        this(rowsAccepted, rowsRejected, firstError, contentHash, CheckCounts.NONE, HeaderDrift.NONE);
    }
}
