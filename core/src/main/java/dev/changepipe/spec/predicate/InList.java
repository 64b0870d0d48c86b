package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** {@code column [NOT] IN (literal, ...)}; the list can hold no NULL, so only the column makes it UNKNOWN. */
public record InList(String column, List<Literal> values, boolean negated) implements Predicate {

    public InList {
        Syntax.requireColumn(column);
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("IN needs at least one value");
        }
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        Sql values = Sql.join(this.values.stream().map(v -> Sql.value(v.sqlValue())).toList(), ", ");
        return Sql.builder().text("(" + quoteIdentifier.apply(column) + (negated ? " NOT IN (" : " IN ("))
                .sql(values).text("))").build();
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        Object value = row.apply(column);
        if (value == null) {
            return null;
        }
        boolean found = false;
        // Every literal is compared, not just up to the first match, so a literal of the wrong type
        // fails regardless of the row's data, as it would when the engine binds the query.
        for (Literal literal : values) {
            found |= Values.compare(column, value, literal) == 0;
        }
        return found != negated;
    }

    @Override
    public Set<String> columns() {
        return Set.of(column);
    }

    @Override
    public String toString() {
        return Syntax.identifier(column) + (negated ? " NOT IN " : " IN ") + valueList();
    }

    private String valueList() {
        return values.stream().map(Literal::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
