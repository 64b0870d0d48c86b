package dev.changepipe.ledger;

import java.util.Locale;

/** How the ledger records one landed file (docs/semantics.md §1): the word stored in its {@code status} column. */
public enum FileStatus {
    LOADED,
    LOADED_WITH_REJECTS,
    REFUSED,
    REDELIVERED,
    VANISHED;

    /** The word the ledger stores, e.g. {@code loaded_with_rejects}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a stored word names. */
    public static FileStatus of(String word) {
        for (FileStatus status : values()) {
            if (status.word().equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a ledger status: " + word);
    }
}
