package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@code column <op> literal}. */
public record Comparison(String column, Operator operator, Literal literal) implements Predicate {

    public Comparison {
        Syntax.requireColumn(column);
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(literal, "literal");
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        return Sql.builder().text("(" + quoteIdentifier.apply(column) + " " + operator.symbol() + " ")
                .value(literal.sqlValue()).text(")").build();
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        Object value = row.apply(column);
        if (value == null) {
            return null;
        }
        return operator.test(Values.compare(column, value, literal));
    }

    @Override
    public Set<String> columns() {
        return Set.of(column);
    }

    @Override
    public String toString() {
        return Syntax.identifier(column) + " " + operator.symbol() + " " + literal;
    }
}
