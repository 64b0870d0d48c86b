package dev.changepipe.csv;

/**
 * Counts of one read of a landed file; {@code firstError} is "line N: column: reason" or null;
 * {@code contentHash} is the SHA-256 of the bytes read, to tell whether the file changed since it was found.
 */
public record ReadSummary(long rowsAccepted, long rowsRejected, String firstError, String contentHash) {}
