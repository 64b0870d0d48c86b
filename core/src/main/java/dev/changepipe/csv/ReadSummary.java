package dev.changepipe.csv;

/** Counts of one read of a landed file; {@code firstError} is "line N: column: reason" or null. */
public record ReadSummary(long rowsAccepted, long rowsRejected, String firstError) {}
