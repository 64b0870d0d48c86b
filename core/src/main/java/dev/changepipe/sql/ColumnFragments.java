package dev.changepipe.sql;

import dev.changepipe.spec.Identifier;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pieces of SQL made from a spec's column names, the same in every engine's dialect. Each name is
 * quoted by the caller's function or here, through {@link Identifier#quote}.
 */
public final class ColumnFragments {
    private ColumnFragments() {}

    /** {@code each(a), each(b), …}. */
    public static String list(List<String> columns, Function<String, String> each) {
        return columns.stream().map(each).collect(Collectors.joining(", "));
    }

    /** {@code left."k1" = right."k1" AND …}: rows of two aliases with the same key. */
    public static String keysMatch(List<String> keys, String left, String right) {
        return keys.stream()
                .map(k -> left + "." + Identifier.quote(k) + " = " + right + "." + Identifier.quote(k))
                .collect(Collectors.joining(" AND "));
    }

    /** {@code (each(a) OR each(b) …)}, or {@code false} for no columns. */
    public static String anyOrFalse(List<String> columns, Function<String, String> each) {
        return columns.isEmpty() ? "false" : "(" + columns.stream().map(each).collect(Collectors.joining(" OR ")) + ")";
    }
}
