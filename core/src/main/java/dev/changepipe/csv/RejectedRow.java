package dev.changepipe.csv;

/**
 * A row of a landed file that could not be loaded.
 *
 * @param line 1-based line where the record starts
 * @param column the spec column at fault, or null when the whole record is malformed
 * @param reason why, in words a user can act on
 * @param rawText the record as read, re-encoded as one CSV record (cut after {@value ChangeFileReader#MAX_RAW_TEXT} characters)
 */
public record RejectedRow(long line, String column, String reason, String rawText) {}
