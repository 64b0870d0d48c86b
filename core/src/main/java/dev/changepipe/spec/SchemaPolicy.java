package dev.changepipe.spec;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a landed file's header may differ from the spec's columns by ({@code schema:}, docs/semantics.md §1.8).
 * No policy drops a value silently: a column the spec lacks is kept in the raw table's {@code _rescued}, added to
 * the tables or refuses its file, and a missing column is either refused or loaded as NULL, as the spec says.
 *
 * @param newColumns what a header column the spec does not declare does
 * @param missingColumns what a spec column the header lacks does
 */
public record SchemaPolicy(NewColumns newColumns, MissingColumns missingColumns) {

    /** Rescue what does not fit, refuse a file that lacks a column: nothing is lost and nothing is made up. */
    public static final SchemaPolicy DEFAULT = new SchemaPolicy(NewColumns.RESCUE, MissingColumns.REFUSE);

    /** A header column the spec does not declare. */
    public enum NewColumns {
        /** Its values go, per row, to the raw table's {@code _rescued} column as JSON text. */
        RESCUE,
        /** It is added to the tables as a varchar value column (rule 1.10); earlier rows hold NULL in it. */
        ADD,
        /** The file is refused, naming the column. */
        FAIL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<NewColumns> of(String word) {
            return byWord(values(), word);
        }
    }

    /** A spec column the header lacks. Keys, the sequence column and every column a predicate reads are always required. */
    public enum MissingColumns {
        /** The file is refused, naming the column. */
        REFUSE,
        /** Every row of the file holds NULL in it. */
        NULL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<MissingColumns> of(String word) {
            return byWord(values(), word);
        }
    }

    private static <E extends Enum<E>> Optional<E> byWord(E[] values, String word) {
        for (E policy : values) {
            if (policy.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    public SchemaPolicy {
        Objects.requireNonNull(newColumns, "newColumns");
        Objects.requireNonNull(missingColumns, "missingColumns");
    }
}
