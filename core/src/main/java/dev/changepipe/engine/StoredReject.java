package dev.changepipe.engine;

/**
 * A row of the rejects table: why one line of a landed file was kept out of raw.
 *
 * @param line the line number in the file, or null for a problem of the file as a whole
 * @param column the column at fault, or null when the whole line is
 */
public record StoredReject(long fileId, String file, Long line, String column, String reason, String rawText) {}
