package dev.changepipe.spec.predicate;

import dev.changepipe.sql.Sql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Rendering shared by {@link And} and {@link Or}. */
final class Junction {

    private Junction() {
    }

    static List<Predicate> list(Predicate first, Predicate second, Predicate... more) {
        List<Predicate> operands = new ArrayList<>(2 + more.length);
        operands.add(first);
        operands.add(second);
        Collections.addAll(operands, more);
        return operands;
    }

    static Sql toSql(List<Predicate> operands, String keyword, UnaryOperator<String> quoteIdentifier) {
        return Sql.builder().text("(")
                .sql(Sql.join(operands.stream().map(operand -> operand.toSql(quoteIdentifier)).toList(), " " + keyword + " "))
                .text(")").build();
    }

    static String toText(List<Predicate> operands, String keyword, java.util.function.Predicate<Predicate> bracket) {
        return operands.stream()
                .map(operand -> bracket.test(operand) ? "(" + operand + ")" : operand.toString())
                .collect(Collectors.joining(" " + keyword + " "));
    }

    static Set<String> columns(List<Predicate> operands) {
        Set<String> columns = new LinkedHashSet<>();
        for (Predicate operand : operands) {
            columns.addAll(operand.columns());
        }
        return Collections.unmodifiableSet(columns);
    }
}
