package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The {@code delete_when} condition of a pipeline spec, as an AST of a deliberately tiny grammar.
 *
 * <p>The condition comes from a spec file, so its text is never pasted into SQL: it is parsed here,
 * checked against the declared columns, and rendered back with engine-quoted identifiers and
 * escaped literals. The same tree evaluates in Java for the in-memory reference model.
 *
 * <pre>
 * condition  := or
 * or         := and ( OR and )*
 * and        := not ( AND not )*
 * not        := NOT not | primary
 * primary    := '(' condition ')' | comparison
 * comparison := column ( op literal | [NOT] IN '(' literal (',' literal)* ')' | IS [NOT] NULL )
 * </pre>
 *
 * <p>{@code toString()} gives a canonical text form that parses back to an equal tree.
 */
public sealed interface Predicate permits Comparison, InList, IsNull, Not, And, Or {

    /**
     * Parses and validates the text against the declared columns (case-sensitive names as
     * declared; the match is case-insensitive but the AST keeps the declared spelling).
     *
     * @throws PredicateException if the text is not in the grammar or names an undeclared column
     */
    static Predicate parse(String text, Collection<String> columns) {
        return new PredicateParser(text, columns).parse();
    }

    /**
     * SQL boolean expression. {@code quoteIdentifier} is the engine's identifier quoting; every
     * literal is a value of the result ({@link Sql.Value}), which the engine's dialect binds or
     * writes by its one escaping rule, so no literal is ever read as SQL. Every subexpression is
     * parenthesised so precedence never depends on the engine.
     */
    Sql toSql(UnaryOperator<String> quoteIdentifier);

    /**
     * Evaluates with SQL three-valued logic over a row (column name as declared to value: String,
     * Long, BigDecimal, Double, Boolean, java.time types, or null).
     *
     * @return {@link Boolean#TRUE}, {@link Boolean#FALSE} or {@code null} for UNKNOWN
     * @throws PredicateException if a literal cannot be compared with the type of a column value
     */
    Boolean evaluate(Function<String, Object> row);

    /** The columns the condition reads, in order of first appearance. */
    Set<String> columns();
}
