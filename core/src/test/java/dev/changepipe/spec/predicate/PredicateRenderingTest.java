package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateRenderingTest {

    static final List<String> COLUMNS = List.of("op", "amount", "Status", "a", "b", "c", "in", "first_name");
    static final UnaryOperator<String> QUOTE = s -> '"' + s + '"';

    static Predicate parse(String text) {
        return Predicate.parse(text, COLUMNS);
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
        assertThat(parse(text).toSql(QUOTE)).isEqualTo(sql);
    }

    @Test
    void identifiersGoThroughTheEnginesQuotingInTheirDeclaredSpelling() {
        List<String> quoted = new ArrayList<>();
        String sql = parse("STATUS = 'x' AND OP IS NULL").toSql(name -> {
            quoted.add(name);
            return "`" + name + "`";
        });
        assertThat(quoted).containsExactly("Status", "op");
        assertThat(sql).isEqualTo("((`Status` = 'x') AND (`op` IS NULL))");
    }

    @Test
    void quoteInsideAStringLiteralIsDoubled() {
        assertThat(parse("first_name = 'O''Brien'").toSql(QUOTE)).isEqualTo("(\"first_name\" = 'O''Brien')");
        assertThat(new Comparison("first_name", Operator.EQ, Literal.string("'")).toSql(QUOTE))
                .isEqualTo("(\"first_name\" = '''')");
    }

    @Test
    void hostileLiteralStaysInsideOneSqlStringLiteral() {
        Predicate parsed = parse("op = 'x''); DROP TABLE t; --'");
        Predicate built = new Comparison("op", Operator.EQ, Literal.string("x'); DROP TABLE t; --"));
        assertThat(parsed).isEqualTo(built);

        String sql = parsed.toSql(QUOTE);
        assertThat(sql).isEqualTo("(\"op\" = 'x''); DROP TABLE t; --')");
        SqlScan scan = SqlScan.of(sql);
        assertThat(scan.outsideLiterals()).isEqualTo("(\"op\" = )");
        assertThat(scan.literals()).containsExactly("x'); DROP TABLE t; --");
    }

    @Test
    void literalsOfAnyContentStayInsideTheirSqlStringLiteral() {
        String[] payloads = {"'", "''", "' OR '1'='1", "'); DELETE FROM t; --", "a'b''c'''", "/* '*/", "\\'"};
        for (String payload : payloads) {
            Predicate predicate = new InList("op", List.of(Literal.string(payload), Literal.string("ok")), true);
            SqlScan scan = SqlScan.of(predicate.toSql(QUOTE));
            assertThat(scan.outsideLiterals()).as(payload).isEqualTo("(\"op\" NOT IN (, ))");
            assertThat(scan.literals()).as(payload).containsExactly(payload, "ok");
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

    /** Splits SQL into single-quoted string literals and the text around them, reading '' as a quote. */
    record SqlScan(String outsideLiterals, List<String> literals) {
        static SqlScan of(String sql) {
            StringBuilder outside = new StringBuilder();
            List<String> literals = new ArrayList<>();
            int i = 0;
            while (i < sql.length()) {
                char c = sql.charAt(i);
                if (c != '\'') {
                    outside.append(c);
                    i++;
                    continue;
                }
                StringBuilder literal = new StringBuilder();
                i++;
                while (true) {
                    if (i >= sql.length()) {
                        throw new AssertionError("unterminated literal in " + sql);
                    }
                    if (sql.charAt(i) == '\'') {
                        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                            literal.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    literal.append(sql.charAt(i++));
                }
                literals.add(literal.toString());
            }
            return new SqlScan(outside.toString(), literals);
        }
    }
}
