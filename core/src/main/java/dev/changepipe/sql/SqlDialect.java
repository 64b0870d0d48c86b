package dev.changepipe.sql;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one engine spells the SQL that core's plans write: type names, a semi join, table references,
 * values, and an optional shortcut. Spelling only: a dialect knows no rule of docs/semantics.md and
 * runs nothing, so a third engine writes one of these and its commit, not the plans.
 */
public interface SqlDialect {

    /** The engine's name of a column type, as its catalog reports it. */
    String typeName(ColumnType type);

    /** The join keyword(s) that keep each left row with a match on the right once: {@code SEMI JOIN}. */
    String semiJoin();

    /** A reference to one of the pipeline's tables, as written after {@code FROM}. */
    String table(TableRole role);

    /** A quoted identifier: every spec name reaches SQL through {@link Identifier#quote}. */
    default String quote(String identifier) {
        return Identifier.quote(identifier);
    }

    /**
     * The row id of a row of {@code alias}, where the engine has one that {@link #argMax} can pick:
     * the latest change of a key is then found on narrow columns and only the winning rows are read
     * in full. Empty where the engine has none; plans then rank the rows.
     */
    default Optional<String> rowId(String alias) {
        return Optional.empty();
    }

    /** {@code value} of the row with the greatest {@code order} (a list of expressions) in its group. */
    default String argMax(String value, List<String> order) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no arg_max");
    }

    /**
     * A window function: the last non-NULL value of {@code value} in the window's frame, written
     * before its {@code OVER}. DuckDB and standard SQL spell it {@code last_value(x IGNORE NULLS)}.
     */
    default String lastNonNull(String value) {
        return "last_value(" + value + " IGNORE NULLS)";
    }

    /** A statement as the engine runs it: its text and the values to bind to its placeholders, in order. */
    record Executable(String text, List<Object> values) {}

    /** The statement ready to run: values and parameters bound, or written as literals where the engine cannot bind. */
    Executable executable(Sql statement, Map<String, ?> parameters);
}
