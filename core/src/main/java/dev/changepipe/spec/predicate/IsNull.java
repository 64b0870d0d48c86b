package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@code column IS [NOT] NULL}, the only test that is never UNKNOWN. */
public record IsNull(String column, boolean negated) implements Predicate {

    public IsNull {
        Syntax.requireColumn(column);
    }

    @Override
    public Sql toSql(UnaryOperator<String> quoteIdentifier) {
        return Sql.text("(" + quoteIdentifier.apply(column) + (negated ? " IS NOT NULL)" : " IS NULL)"));
    }

    @Override
    public Boolean evaluate(Function<String, Object> row) {
        return (row.apply(column) == null) != negated;
    }

    @Override
    public Set<String> columns() {
        return Set.of(column);
    }

    @Override
    public String toString() {
        return Syntax.identifier(column) + (negated ? " IS NOT NULL" : " IS NULL");
    }
}
