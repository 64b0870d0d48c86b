package dev.changepipe.conformance;

/**
 * How the landed files of a scenario are processed. The final tables must not depend on it
 * (rule 5.4): only the order in which files land decides ties, never how many runs consume them.
 */
public enum Processing {
    /** Every file lands, then one run processes them all: they are found in one scan. */
    AT_ONCE,
    /** Each file lands and is processed before the next one lands. */
    FILE_BY_FILE
}
