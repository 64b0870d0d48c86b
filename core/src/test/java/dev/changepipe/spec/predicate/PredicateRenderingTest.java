package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.sql.Sql;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateRenderingTest {

    static final List<String> COLUMNS = List.of("op", "amount", "Status", "a", "b", "c", "in", "first_name");
    static final UnaryOperator<String> QUOTE = s -> '"' + s + '"';

    static Predicate parse(String text) {
        return Predicate.parse(text, COLUMNS);
    }

    /** The SQL with each value shown as a standard SQL literal, to read the expected text at a glance. */
    static String shown(Sql sql) {
        return sql.inline(Map.of(), value -> value instanceof String text ? "'" + text.replace("'", "''") + "'"
                : value instanceof BigDecimal d ? d.toPlainString()
                : value instanceof Boolean b ? (b ? "TRUE" : "FALSE")
                : String.valueOf(value));
    }

    /** The values of the SQL, in order. */
    static List<Object> values(Sql sql) {
        return sql.values(Map.of());
    }

    /** The SQL's text parts, without its values. */
    static String textOnly(Sql sql) {
        return sql.parts().stream().map(p -> p instanceof Sql.Text t ? t.text() : "").collect(Collectors.joining());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "op = 'D'                                 | (\"op\" = 'D')",
        "amount != 1.50                           | (\"amount\" <> 1.50)",
        "amount <= -3                             | (\"amount\" <= -3)",
        "amount > 0 and a >= 1 AND b < 2          | ((\"amount\" > 0) AND (\"a\" >= 1) AND (\"b\" < 2))",
        "a = 1 OR b = 2 AND c = 3                 | ((\"a\" = 1) OR ((\"b\" = 2) AND (\"c\" = 3)))",
        "(a = 1 OR b = 2) AND c = TRUE            | (((\"a\" = 1) OR (\"b\" = 2)) AND (\"c\" = TRUE))",
        "NOT a = FALSE                            | (NOT (\"a\" = FALSE))",
        "NOT (a IS NULL OR b IS NOT NULL)         | (NOT ((\"a\" IS NULL) OR (\"b\" IS NOT NULL)))",
        "op in ('I','U')                          | (\"op\" IN ('I', 'U'))",
        "op not in ('D')                          | (\"op\" NOT IN ('D'))",
        "status = 'x' OR \"in\" = 1               | ((\"Status\" = 'x') OR (\"in\" = 1))",
    })
    void rendersFullyParenthesisedSql(String text, String sql) {
        assertThat(shown(parse(text).toSql(QUOTE))).isEqualTo(sql);
    }

    @Test
    void everyLiteralIsAValueOfItsJavaType() {
        Sql sql = parse("op IN ('D', 'X') OR amount > 1.50 OR a = 3 OR c = TRUE").toSql(QUOTE);

        assertThat(sql.placeholderText())
                .isEqualTo("((\"op\" IN (?, ?)) OR (\"amount\" > ?) OR (\"a\" = ?) OR (\"c\" = ?))");
        assertThat(values(sql)).containsExactly("D", "X", new BigDecimal("1.50"), 3L, true);
    }

    @Test
    void identifiersGoThroughTheEnginesQuotingInTheirDeclaredSpelling() {
        List<String> quoted = new ArrayList<>();
        String sql = shown(parse("STATUS = 'x' AND OP IS NULL").toSql(name -> {
            quoted.add(name);
            return "`" + name + "`";
        }));
        assertThat(quoted).containsExactly("Status", "op");
        assertThat(sql).isEqualTo("((`Status` = 'x') AND (`op` IS NULL))");
    }

    @Test
    void aDoubledQuoteIsOneQuoteOfTheValue() {
        assertThat(values(parse("first_name = 'O''Brien'").toSql(QUOTE))).containsExactly("O'Brien");
        assertThat(values(new Comparison("first_name", Operator.EQ, Literal.string("'")).toSql(QUOTE))).containsExactly("'");
    }

    @Test
    void hostileLiteralIsOneValueAndNoText() {
        Predicate parsed = parse("op = 'x''); DROP TABLE t; --'");
        Predicate built = new Comparison("op", Operator.EQ, Literal.string("x'); DROP TABLE t; --"));
        assertThat(parsed).isEqualTo(built);

        Sql sql = parsed.toSql(QUOTE);
        assertThat(textOnly(sql)).isEqualTo("(\"op\" = )");
        assertThat(values(sql)).containsExactly("x'); DROP TABLE t; --");
    }

    @Test
    void literalsOfAnyContentAreValuesNeverText() {
        String[] payloads = {"'", "''", "' OR '1'='1", "'); DELETE FROM t; --", "a'b''c'''", "/* '*/", "\\'", ":delete",
            "a;\nb", "x':y", "?", "$1", "{{raw}}"};
        for (String payload : payloads) {
            Predicate predicate = new InList("op", List.of(Literal.string(payload), Literal.string("ok")), true);
            Sql sql = predicate.toSql(QUOTE);
            assertThat(textOnly(sql)).as(payload).isEqualTo("(\"op\" NOT IN (, ))");
            assertThat(values(sql)).as(payload).containsExactly(payload, "ok");
        }
    }

    @Test
    void nodesRefuseColumnNamesOutsideTheIdentifierRule() {
        assertThatThrownBy(() -> new IsNull("a\"; DROP TABLE t; --", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Comparison("first name", Operator.EQ, Literal.number(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InList("op", List.of(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new And(List.of(new IsNull("op", false)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Or(List.of(new IsNull("op", false)))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "op='D'                                   | op = 'D'",
        "a=1 or B=2 and not(c is null)            | a = 1 OR b = 2 AND NOT c IS NULL",
        "(a=1 or b=2) and c=3                     | (a = 1 OR b = 2) AND c = 3",
        "(a=1 and b=2) and c=3                    | (a = 1 AND b = 2) AND c = 3",
        "a=1 or (b=2 or c=3)                      | a = 1 OR (b = 2 OR c = 3)",
        "not (a=1 and b=2)                        | NOT (a = 1 AND b = 2)",
        "not not a != 1                           | NOT NOT a <> 1",
        "op not in('D','X')                       | op NOT IN ('D', 'X')",
        "\"in\" is not null                       | \"in\" IS NOT NULL",
        "STATUS = 'it''s' and amount >= 1.50      | Status = 'it''s' AND amount >= 1.50",
        "amount = true or amount = false          | amount = TRUE OR amount = FALSE",
    })
    void toStringIsACanonicalTextThatParsesBack(String text, String canonical) {
        Predicate predicate = parse(text);
        assertThat(predicate.toString()).isEqualTo(canonical);
        assertThat(parse(canonical)).isEqualTo(predicate);
    }
}
