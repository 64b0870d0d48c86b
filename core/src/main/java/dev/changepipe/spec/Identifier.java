package dev.changepipe.spec;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one gate between names in a spec and SQL text. Only names of this shape are accepted, and
 * {@link #quote(String)} is the only way spec names are written into SQL.
 */
public final class Identifier {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** Names changepipe adds to tables of its own; a spec may not declare them. */
    public static final Set<String> RESERVED = Set.of("_file", "_file_id", "_line", "_ingested_at", "_change_type",
            "_commit_version", "_commit_timestamp", "_rescued");

    private Identifier() {}

    /** Why {@code name} is not a usable identifier, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (!SHAPE.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid identifier (letters, digits and _, not starting with a digit, at most 63 characters)");
        }
        return Optional.empty();
    }

    /** Quotes an identifier already checked by {@link #problem(String)}; refuses anything else. */
    public static String quote(String name) {
        problem(name).ifPresent(p -> {
            throw new IllegalArgumentException("identifier " + p);
        });
        return '"' + name + '"';
    }

    /** Identifiers are compared the way SQL engines fold them: ignoring case. */
    public static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
