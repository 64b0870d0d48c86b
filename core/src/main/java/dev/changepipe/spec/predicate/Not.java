package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@code NOT operand}; NOT UNKNOWN is UNKNOWN. */
public record Not(Predicate operand) implements Predicate {

    public Not {
        Objects.requireNonNull(operand, "operand");
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        return Sql.builder().text("(NOT ").sql(operand.toSql(quoteIdentifier)).text(")").build();
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        Boolean value = operand.evaluate(row);
        return value == null ? null : !value;
    }

    @Override
    public Set<String> columns() {
        return operand.columns();
    }

    @Override
    public String toString() {
        // NOT binds tighter than AND and OR, so only those need brackets to stay under the NOT.
        boolean bracket = operand instanceof And || operand instanceof Or;
        return bracket ? "NOT (" + operand + ")" : "NOT " + operand;
    }
}
