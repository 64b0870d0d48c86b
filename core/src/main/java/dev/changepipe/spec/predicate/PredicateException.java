package dev.changepipe.spec.predicate;

/**
 * A {@code delete_when} condition that is malformed, names an unknown column, or compares a column
 * with a literal its values cannot be compared with.
 */
public final class PredicateException extends IllegalArgumentException {

    public PredicateException(String message) {
        super(message);
    }

    public PredicateException(String message, Throwable cause) {
        super(message, cause);
    }
}
