package dev.changepipe.spec;

import dev.changepipe.spec.predicate.Predicate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the spec's {@code checks}: a condition every row of a landed file must meet, in the
 * {@code delete_when} grammar, and what happens to a row that does not (docs/semantics.md §1.7).
 * Only FALSE fails: a condition that is UNKNOWN because a value is NULL passes, as SQL CHECK does.
 *
 * @param name unique among the pipeline's checks; the reason of a row it drops is {@code check failed: <name>}
 */
public record QualityCheck(String name, Predicate must, OnFail onFail) {

    /** What a failed check does to its row: load it and count it, send it to the rejects, or refuse its file. */
    public enum OnFail {
        WARN,
        DROP,
        REFUSE;

        /** The word a spec and the ledger use, e.g. {@code warn}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<OnFail> of(String word) {
            for (OnFail mode : values()) {
                if (mode.word().equals(word)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    public QualityCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(must, "must");
        Objects.requireNonNull(onFail, "onFail");
    }

    /** The reason a row this check drops is stored with in the rejects table. */
    public String rejectReason() {
        return "check failed: " + name;
    }
}
