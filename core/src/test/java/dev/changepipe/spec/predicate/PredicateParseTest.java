package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateParseTest {

    static final List<String> COLUMNS = List.of("customer_id", "first_name", "op", "amount", "Status", "a", "b", "c", "in");

    static Predicate parse(String text) {
        return Predicate.parse(text, COLUMNS);
    }

    static Comparison cmp(String column, Operator operator, Literal literal) {
        return new Comparison(column, operator, literal);
    }

    static Comparison eq(String column, long value) {
        return cmp(column, Operator.EQ, Literal.number(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "=  | EQ",
        "<> | NE",
        "!= | NE",
        "<  | LT",
        "<= | LE",
        ">  | GT",
        ">= | GE",
    })
    void parsesEveryComparisonOperator(String symbol, Operator operator) {
        assertThat(parse("amount " + symbol + " 10")).isEqualTo(cmp("amount", operator, Literal.number(10)));
        assertThat(parse("amount" + symbol + "10")).isEqualTo(cmp("amount", operator, Literal.number(10)));
    }

    @Test
    void parsesEveryKindOfLiteral() {
        assertThat(parse("op = 'D'")).isEqualTo(cmp("op", Operator.EQ, Literal.string("D")));
        assertThat(parse("op = ''")).isEqualTo(cmp("op", Operator.EQ, Literal.string("")));
        assertThat(parse("amount = 42")).isEqualTo(cmp("amount", Operator.EQ, Literal.number(42)));
        assertThat(parse("amount = -42")).isEqualTo(cmp("amount", Operator.EQ, Literal.number(-42)));
        assertThat(parse("amount = 1.50")).isEqualTo(cmp("amount", Operator.EQ, new Literal.NumberLiteral(new BigDecimal("1.50"))));
        assertThat(parse("amount = TRUE")).isEqualTo(cmp("amount", Operator.EQ, Literal.bool(true)));
        assertThat(parse("amount = false")).isEqualTo(cmp("amount", Operator.EQ, Literal.bool(false)));
    }

    @Test
    void decimalLiteralKeepsItsScale() {
        Literal literal = ((Comparison) parse("amount = 1.50")).literal();
        assertThat(literal).isNotEqualTo(new Literal.NumberLiteral(new BigDecimal("1.5")));
        assertThat(literal.toString()).isEqualTo("1.50");
    }

    @Test
    void doubledQuoteInStringIsOneQuote() {
        assertThat(parse("first_name = 'O''Brien'")).isEqualTo(cmp("first_name", Operator.EQ, Literal.string("O'Brien")));
        assertThat(parse("first_name = ''''")).isEqualTo(cmp("first_name", Operator.EQ, Literal.string("'")));
        assertThat(parse("first_name = 'a -- b /* c */ ; d'"))
                .isEqualTo(cmp("first_name", Operator.EQ, Literal.string("a -- b /* c */ ; d")));
    }

    @Test
    void parsesInNotInAndNullTests() {
        assertThat(parse("op IN ('I', 'U')"))
                .isEqualTo(new InList("op", List.of(Literal.string("I"), Literal.string("U")), false));
        assertThat(parse("op NOT IN ('D')")).isEqualTo(new InList("op", List.of(Literal.string("D")), true));
        assertThat(parse("amount IN (1,2.5,TRUE)"))
                .isEqualTo(new InList("amount", List.of(Literal.number(1), Literal.number("2.5"), Literal.bool(true)), false));
        assertThat(parse("op IS NULL")).isEqualTo(new IsNull("op", false));
        assertThat(parse("op IS NOT NULL")).isEqualTo(new IsNull("op", true));
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(parse("a = 1 OR b = 2 AND c = 3")).isEqualTo(new Or(eq("a", 1), new And(eq("b", 2), eq("c", 3))));
        assertThat(parse("a = 1 AND b = 2 OR c = 3")).isEqualTo(new Or(new And(eq("a", 1), eq("b", 2)), eq("c", 3)));
    }

    @Test
    void chainsOfTheSameConnectiveAreOneNode() {
        assertThat(parse("a = 1 AND b = 2 AND c = 3")).isEqualTo(new And(eq("a", 1), eq("b", 2), eq("c", 3)));
        assertThat(parse("a = 1 OR b = 2 OR c = 3")).isEqualTo(new Or(eq("a", 1), eq("b", 2), eq("c", 3)));
    }

    @Test
    void notBindsTighterThanAnd() {
        assertThat(parse("NOT a = 1 AND b = 2")).isEqualTo(new And(new Not(eq("a", 1)), eq("b", 2)));
        assertThat(parse("NOT NOT a = 1")).isEqualTo(new Not(new Not(eq("a", 1))));
        assertThat(parse("NOT a IN (1)")).isEqualTo(new Not(new InList("a", List.of(Literal.number(1)), false)));
    }

    @Test
    void parenthesesOverridePrecedenceAndMayNest() {
        assertThat(parse("(a = 1 OR b = 2) AND c = 3")).isEqualTo(new And(new Or(eq("a", 1), eq("b", 2)), eq("c", 3)));
        assertThat(parse("((((a = 1))))")).isEqualTo(eq("a", 1));
        assertThat(parse("NOT (a = 1 OR (b = 2 AND NOT (c IS NULL)))"))
                .isEqualTo(new Not(new Or(eq("a", 1), new And(eq("b", 2), new Not(new IsNull("c", false))))));
        assertThat(parse("(a = 1 AND b = 2) AND c = 3")).isEqualTo(new And(new And(eq("a", 1), eq("b", 2)), eq("c", 3)));
    }

    @Test
    void keywordsAndColumnNamesAreCaseInsensitiveButTheTreeKeepsTheDeclaredSpelling() {
        assertThat(parse("OP = 'D' or STATUS is not null AND Amount not in (1) And Not A Is Null"))
                .isEqualTo(new Or(
                        cmp("op", Operator.EQ, Literal.string("D")),
                        new And(new IsNull("Status", true),
                                new InList("amount", List.of(Literal.number(1)), true),
                                new Not(new IsNull("a", false)))));
        assertThat(parse("status = 'x'").columns()).containsExactly("Status");
    }

    @Test
    void stringLiteralsKeepTheirCase() {
        assertThat(parse("op = 'dElEtE'")).isEqualTo(cmp("op", Operator.EQ, Literal.string("dElEtE")));
    }

    @Test
    void quotedIdentifiersNameColumnsIncludingKeywords() {
        assertThat(parse("\"op\" = 'D'")).isEqualTo(cmp("op", Operator.EQ, Literal.string("D")));
        assertThat(parse("\"in\" IN (1)")).isEqualTo(new InList("in", List.of(Literal.number(1)), false));
        assertThat(parse("\"STATUS\" IS NULL")).isEqualTo(new IsNull("Status", false));
    }

    @Test
    void whitespaceIsInsignificant() {
        assertThat(parse("\t a\n=\r\n1   or(b=2)and c  IS  NOT\tNULL "))
                .isEqualTo(new Or(eq("a", 1), new And(eq("b", 2), new IsNull("c", true))));
    }

    @Test
    void exactSpellingWinsWhenDeclaredNamesDifferOnlyInCase() {
        List<String> columns = List.of("id", "ID");
        assertThat(Predicate.parse("ID = 1", columns)).isEqualTo(eq("ID", 1));
        assertThat(Predicate.parse("id = 1", columns)).isEqualTo(eq("id", 1));
        assertThatThrownBy(() -> Predicate.parse("Id = 1", columns))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: column 'Id' matches several declared columns (id, ID); write it exactly as declared");
    }

    @Test
    void columnsListsWhatTheConditionReadsInOrderOfAppearance() {
        assertThat(parse("c = 1 OR a IS NULL AND NOT (c = 2 OR op IN ('D'))").columns()).containsExactly("c", "a", "op");
        assertThat(parse("amount > 0").columns()).containsExactly("amount");
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        int depth = PredicateParser.MAX_DEPTH;
        assertThat(parse("(".repeat(depth) + "a = 1" + ")".repeat(depth))).isEqualTo(eq("a", 1));
        assertThat(parse("NOT ".repeat(depth) + "a = 1").columns()).containsExactly("a");
    }
}
