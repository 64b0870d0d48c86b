package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateRejectionTest {

    static final List<String> COLUMNS = List.of("customer_id", "first_name", "op", "other_column", "amount");

    static void assertRejected(String text, String message) {
        assertThatThrownBy(() -> Predicate.parse(text, COLUMNS))
                .isInstanceOf(PredicateException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // statement stacking, comments and tautologies from a hostile spec
        "op = 'D'; DROP TABLE customer | expected AND, OR or end of input at position 9 but found ';'",
        "op = 'D' --                   | expected AND, OR or end of input at position 10 but found '--'",
        "op = 'D' /* x */              | expected AND, OR or end of input at position 10 but found '/*'",
        "op = 'D' OR 1=1               | expected a column at position 13 but found '1'",
        "1 = 1                         | expected a column at position 1 but found '1'",
        "'a' = op                      | expected a column at position 1 but found ''a''",
        // things that are not in the grammar
        "op = other_column             | expected a literal at position 6 but found 'other_column'",
        "op = DROP                     | expected a literal at position 6 but found 'DROP'",
        "lower(op) = 'd'               | expected a comparison operator, IN, NOT IN or IS at position 6 but found '('",
        "amount = 1 + 1                | expected AND, OR or end of input at position 12 but found '+'",
        "amount = 1e5                  | expected a literal at position 10 but found '1e5'",
        "amount = .5                   | expected a literal at position 10 but found '.'",
        "amount = 1.                   | expected a literal at position 10 but found '1.'",
        "amount = --5                  | expected a literal at position 10 but found '--'",
        "amount == 1                   | expected a literal at position 9 but found '='",
        "amount IN (SELECT 1)          | expected a literal at position 12 but found 'SELECT'",
        "amount IN ()                  | expected a literal at position 12 but found ')'",
        "amount IN (1,)                | expected a literal at position 14 but found ')'",
        "amount IN (1 2)               | expected ',' or ')' at position 14 but found '2'",
        "amount IN 1                   | expected '(' at position 11 but found '1'",
        "amount NOT = 1                | expected IN at position 12 but found '='",
        "amount IS 'x'                 | expected NULL or NOT NULL at position 11 but found ''x''",
        "amount IS NOT TRUE            | expected NULL at position 15 but found 'TRUE'",
        "amount                        | expected a comparison operator, IN, NOT IN or IS at position 7 but found end of input",
        "op = 'D' AND                  | expected a column at position 13 but found end of input",
        "op = 'D' AND AND op = 'U'     | expected a column at position 14 but found 'AND'",
        "NOT                           | expected a column at position 4 but found end of input",
        "(op = 'D'                     | expected ')' at position 10 but found end of input",
        "op = 'D')                     | expected AND, OR or end of input at position 9 but found ')'",
        "op = 'D' x                    | expected AND, OR or end of input at position 10 but found 'x'",
        "op = 'D' 'U'                  | expected AND, OR or end of input at position 10 but found ''U''",
        "in = 1                        | expected a column at position 1 but found 'in'",
        // unterminated tokens
        "op = 'D                       | expected a closing ' (string opened at position 6) at position 8 but found end of input",
        "op = 'it''s                   | expected a closing ' (string opened at position 6) at position 12 but found end of input",
        "\"op = 1                      | expected a letter, digit, '_' or closing '\"' in the quoted identifier at position 4 but found ' '",
        "\"op                          | expected a closing '\"' (identifier opened at position 1) at position 4 but found end of input",
        // identifiers outside [A-Za-z_][A-Za-z0-9_]*
        "\"o\"\"p\" = 1                | expected the end of the quoted identifier (quotes inside identifiers are not allowed) at position 4 but found '\"'",
        "\"op-x\" = 1                  | expected a letter, digit, '_' or closing '\"' in the quoted identifier at position 4 but found '-'",
        "\"1op\" = 1                   | expected an identifier starting with a letter or '_' at position 2 but found '1'",
        "\"\" = 1                      | expected an identifier starting with a letter or '_' at position 2 but found '\"'",
        "op$ = 1                       | expected a comparison operator, IN, NOT IN or IS at position 3 but found '$'",
        "t.op = 1                      | expected a comparison operator, IN, NOT IN or IS at position 2 but found '.'",
        "ñame = 1                      | expected a column at position 1 but found 'ñ'",
        "[op] = 1                      | expected a column at position 1 but found '['",
    })
    void rejectsWithWhatWasExpectedAndWhere(String text, String message) {
        assertRejected(text, "delete_when: " + message);
    }

    @Test
    void rejectsEmptyAndBlankText() {
        assertRejected("", "delete_when: expected a column at position 1 but found end of input");
        assertRejected("   ", "delete_when: expected a column at position 4 but found end of input");
        assertRejected(null, "delete_when: expected a column at position 1 but found end of input");
    }

    @Test
    void nullLiteralPointsToIsNull() {
        assertRejected("op = NULL",
                "delete_when: expected a literal at position 6 but found 'NULL'; use IS NULL or IS NOT NULL to test for NULL");
    }

    @Test
    void unknownColumnListsTheDeclaredColumns() {
        assertRejected("opp = 'D'",
                "delete_when: unknown column 'opp'; columns are: customer_id, first_name, op, other_column, amount");
        assertRejected("op = 'D' OR \"Opp\" IS NULL",
                "delete_when: unknown column 'Opp'; columns are: customer_id, first_name, op, other_column, amount");
        assertThatThrownBy(() -> Predicate.parse("op = 'D'", List.of()))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: unknown column 'op'; no columns are declared");
    }

    @Test
    void syntaxErrorsAreReportedBeforeUnknownColumns() {
        assertRejected("nope = 1 AND", "delete_when: expected a column at position 13 but found end of input");
    }

    @Test
    void longTokensAreShortenedInMessages() {
        String longWord = "x".repeat(100);
        assertRejected("op = " + longWord,
                "delete_when: expected a literal at position 6 but found '" + "x".repeat(40) + "...'");
    }

    @Test
    void rejectsNestingBeyondTheLimit() {
        int depth = PredicateParser.MAX_DEPTH + 1;
        assertRejected("(".repeat(depth) + "op = 1" + ")".repeat(depth),
                "delete_when: nesting deeper than 64 levels at position " + depth);
        assertRejected("NOT ".repeat(depth) + "op = 1",
                "delete_when: nesting deeper than 64 levels at position " + (4 * depth - 3));
        // Deep enough to overflow a naive recursive parser's stack.
        assertThatThrownBy(() -> Predicate.parse("(".repeat(100_000), COLUMNS))
                .isInstanceOf(PredicateException.class)
                .hasMessageStartingWith("delete_when: nesting deeper than 64 levels");
    }

    @Test
    void acceptsABackslashAsACharacterOfTheLiteral() {
        // Values are bound or written by each engine's one escaping rule, so a backslash means itself everywhere.
        assertThat(Predicate.parse("op = 'C:\\dir\\' OR op = 'x'", List.of("op")))
                .isEqualTo(new Or(new Comparison("op", Operator.EQ, Literal.string("C:\\dir\\")),
                        new Comparison("op", Operator.EQ, Literal.string("x"))));
    }
}
