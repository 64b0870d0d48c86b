package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A disjunction with Kleene logic: TRUE if any operand is TRUE, else UNKNOWN if any is UNKNOWN. */
public record Or(List<Predicate> operands) implements Predicate {

    public Or {
        operands = List.copyOf(operands);
        if (operands.size() < 2) {
            throw new IllegalArgumentException("OR needs at least two operands");
        }
    }

    public Or(Predicate first, Predicate second, Predicate... more) {
        this(Junction.list(first, second, more));
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        return Junction.toSql(operands, "OR", quoteIdentifier);
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        boolean unknown = false;
        boolean anyTrue = false;
        // No short-circuit: a type error in a later operand surfaces whatever the earlier ones say.
        for (Predicate operand : operands) {
            Boolean value = operand.evaluate(row);
            if (value == null) {
                unknown = true;
            } else if (value) {
                anyTrue = true;
            }
        }
        return anyTrue ? Boolean.TRUE : unknown ? null : Boolean.FALSE;
    }

    @Override
    public Set<String> columns() {
        return Junction.columns(operands);
    }

    @Override
    public String toString() {
        // AND binds tighter than OR and needs no brackets here; a nested OR keeps them to keep its shape.
        return Junction.toText(operands, "OR", operand -> operand instanceof Or);
    }
}
