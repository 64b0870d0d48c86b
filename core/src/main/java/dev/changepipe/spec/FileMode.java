package dev.changepipe.spec;

import java.util.Locale;
import java.util.Optional;

/** What a landed file is ({@code mode:}, docs/semantics.md §7). */
public enum FileMode {
    /** Each row is a change of its key: an upsert, or a delete where {@code delete_when} says so. */
    CHANGES,
    /** Each file is the whole table as of its snapshot time: a key it lacks was deleted then (rule 7.2). */
    SNAPSHOT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FileMode> of(String word) {
        for (FileMode mode : values()) {
            if (mode.word().equals(word)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
