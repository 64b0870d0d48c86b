package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A conjunction with Kleene logic: FALSE if any operand is FALSE, else UNKNOWN if any is UNKNOWN.
 * N-ary so that {@code a AND b AND c} is one node rather than a deep chain.
 */
public record And(List<Predicate> operands) implements Predicate {

    public And {
        operands = List.copyOf(operands);
        if (operands.size() < 2) {
            throw new IllegalArgumentException("AND needs at least two operands");
        }
    }

    public And(Predicate first, Predicate second, Predicate... more) {
        this(Junction.list(first, second, more));
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        return Junction.toSql(operands, "AND", quoteIdentifier);
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        boolean unknown = false;
        boolean anyFalse = false;
        // No short-circuit: a type error in a later operand surfaces whatever the earlier ones say.
        for (Predicate operand : operands) {
            Boolean value = operand.evaluate(row);
            if (value == null) {
                unknown = true;
            } else if (!value) {
                anyFalse = true;
            }
        }
        return anyFalse ? Boolean.FALSE : unknown ? null : Boolean.TRUE;
    }

    @Override
    public Set<String> columns() {
        return Junction.columns(operands);
    }

    @Override
    public String toString() {
        // A nested AND is bracketed too, so the text parses back to the same tree shape.
        return Junction.toText(operands, "AND", operand -> operand instanceof And || operand instanceof Or);
    }
}
