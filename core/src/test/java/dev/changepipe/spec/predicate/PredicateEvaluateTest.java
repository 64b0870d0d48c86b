package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PredicateEvaluateTest {

    static final List<String> COLUMNS = List.of("p", "q", "op", "amount", "flag", "day", "ts", "tstz", "t");

    /** Evaluates {@code text} over a row of alternating column names and values. */
    static Boolean eval(String text, Object... row) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < row.length; i += 2) {
            values.put((String) row[i], row[i + 1]);
        }
        return Predicate.parse(text, COLUMNS).evaluate(values::get);
    }

    /** "T", "F" or "U" as a nullable Boolean, so truth tables read like truth tables. */
    static Boolean truth(String value) {
        return switch (value) {
            case "T" -> Boolean.TRUE;
            case "F" -> Boolean.FALSE;
            case "U" -> null;
            default -> throw new IllegalArgumentException(value);
        };
    }

    @ParameterizedTest(name = "p={0} q={1}")
    @CsvSource({
        // p, q, p AND q, p OR q
        "T, T, T, T",
        "T, F, F, T",
        "T, U, U, T",
        "F, T, F, T",
        "F, F, F, F",
        "F, U, F, U",
        "U, T, U, T",
        "U, F, F, U",
        "U, U, U, U",
    })
    void andOrFollowKleeneLogic(String p, String q, String and, String or) {
        // p = TRUE is UNKNOWN exactly when p is NULL, which makes each operand take the wanted truth value.
        Object[] row = {"p", truth(p), "q", truth(q)};
        assertThat(eval("p = TRUE AND q = TRUE", row)).isEqualTo(truth(and));
        assertThat(eval("p = TRUE OR q = TRUE", row)).isEqualTo(truth(or));
    }

    @ParameterizedTest(name = "p={0}")
    @CsvSource({"T, F", "F, T", "U, U"})
    void notOfUnknownIsUnknown(String p, String not) {
        assertThat(eval("NOT p = TRUE", "p", truth(p))).isEqualTo(truth(not));
        assertThat(eval("NOT NOT p = TRUE", "p", truth(p))).isEqualTo(truth(p));
    }

    @Test
    void longerChainsFollowKleeneLogic() {
        assertThat(eval("p = TRUE AND q = TRUE AND amount = 1", "p", true, "q", null, "amount", 2L)).isFalse();
        assertThat(eval("p = TRUE AND q = TRUE AND amount = 1", "p", true, "q", null, "amount", 1L)).isNull();
        assertThat(eval("p = TRUE OR q = TRUE OR amount = 1", "p", false, "q", null, "amount", 1L)).isTrue();
        assertThat(eval("p = TRUE OR q = TRUE OR amount = 1", "p", false, "q", null, "amount", 2L)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amount = 1", "amount <> 1", "amount < 1", "amount <= 1", "amount > 1", "amount >= 1",
        "amount IN (1, 2)", "amount NOT IN (1, 2)", "NOT amount = 1"})
    void anyComparisonWithNullIsUnknown(String text) {
        assertThat(eval(text, "amount", null)).isNull();
        assertThat(eval(text)).isNull();
    }

    @Test
    void nullTestsAreNeverUnknown() {
        assertThat(eval("amount IS NULL", "amount", null)).isTrue();
        assertThat(eval("amount IS NULL", "amount", 0L)).isFalse();
        assertThat(eval("amount IS NOT NULL", "amount", null)).isFalse();
        assertThat(eval("amount IS NOT NULL", "amount", 0L)).isTrue();
        assertThat(eval("NOT amount IS NULL", "amount", null)).isFalse();
    }

    @Test
    void inListMatchesAnyMember() {
        assertThat(eval("op IN ('I', 'D')", "op", "D")).isTrue();
        assertThat(eval("op IN ('I', 'D')", "op", "U")).isFalse();
        assertThat(eval("op NOT IN ('I', 'D')", "op", "D")).isFalse();
        assertThat(eval("op NOT IN ('I', 'D')", "op", "U")).isTrue();
        assertThat(eval("op IN ('I', 'D')", "op", null)).isNull();
        assertThat(eval("op NOT IN ('I', 'D')", "op", null)).isNull();
        assertThat(eval("amount IN (1, 2.0)", "amount", new BigDecimal("2"))).isTrue();
    }

    @Test
    void numbersCompareNumericallyAcrossTypes() {
        assertThat(eval("amount = 5", "amount", 5L)).isTrue();
        assertThat(eval("amount = 5", "amount", 5)).isTrue();
        assertThat(eval("amount = 5", "amount", (short) 5)).isTrue();
        assertThat(eval("amount = 5", "amount", BigInteger.valueOf(5))).isTrue();
        assertThat(eval("amount = 5.000", "amount", 5L)).isTrue();
        assertThat(eval("amount = 5", "amount", new BigDecimal("5.00"))).isTrue();
        assertThat(eval("amount = 5", "amount", 5.0d)).isTrue();
        assertThat(eval("amount = 5", "amount", 5.0f)).isTrue();
        assertThat(eval("amount > 4.5", "amount", 5L)).isTrue();
        assertThat(eval("amount < 4.5", "amount", 5L)).isFalse();
        assertThat(eval("amount <> 5", "amount", 5.5d)).isTrue();
        assertThat(eval("amount >= -1", "amount", -1)).isTrue();
        assertThat(eval("amount < -1", "amount", new BigDecimal("-1.01"))).isTrue();
        assertThat(eval("amount <= 10", "amount", 9.999d)).isTrue();
    }

    @Test
    void integersCompareExactlyButDoublesCompareAsDoubles() {
        // 2^53 + 1 is exact as BIGINT but rounds to 2^53 as DOUBLE, in the engines as in Java.
        assertThat(eval("amount = 9007199254740992", "amount", 9007199254740993L)).isFalse();
        assertThat(eval("amount = 9007199254740993", "amount", 9007199254740992.0d)).isTrue();
        assertThat(eval("amount = 0.1", "amount", 0.1d)).isTrue();
        assertThat(eval("amount = 0.1", "amount", new BigDecimal("0.10"))).isTrue();
        assertThat(eval("amount > 99999999999999999999", "amount", Long.MAX_VALUE)).isFalse();
    }

    @Test
    void doubleSpecialValuesFollowSql() {
        assertThat(eval("amount = 0", "amount", -0.0d)).isTrue();
        assertThat(eval("amount > 1000000", "amount", Double.NaN)).isTrue();
        assertThat(eval("amount = 1000000", "amount", Double.NaN)).isFalse();
        assertThat(eval("amount > 1000000", "amount", Double.POSITIVE_INFINITY)).isTrue();
        assertThat(eval("amount < -1000000", "amount", Double.NEGATIVE_INFINITY)).isTrue();
    }

    @Test
    void stringsCompareBinary() {
        assertThat(eval("op = 'D'", "op", "D")).isTrue();
        assertThat(eval("op = 'D'", "op", "d")).isFalse();
        assertThat(eval("op < 'a'", "op", "B")).isTrue();
        assertThat(eval("op > 'abc'", "op", "abd")).isTrue();
        assertThat(eval("op > 'abc'", "op", "ab")).isFalse();
        assertThat(eval("op = ''", "op", "")).isTrue();
        assertThat(eval("op = 'it''s'", "op", "it's")).isTrue();
    }

    @Test
    void stringsOrderByCodePointLikeUtf8Bytes() {
        // U+FFFF sorts before U+1F600 in UTF-8, while UTF-16 String.compareTo puts the surrogate pair first.
        assertThat("\uFFFF".compareTo("\uD83D\uDE00")).isPositive();
        assertThat(eval("op < '\uD83D\uDE00'", "op", "\uFFFF")).isTrue();
        assertThat(eval("op > '\uFFFF'", "op", "\uD83D\uDE00")).isTrue();
    }

    @Test
    void booleansCompareWithFalseBeforeTrue() {
        assertThat(eval("flag = TRUE", "flag", true)).isTrue();
        assertThat(eval("flag = TRUE", "flag", false)).isFalse();
        assertThat(eval("flag <> FALSE", "flag", true)).isTrue();
        assertThat(eval("flag < TRUE", "flag", false)).isTrue();
        assertThat(eval("flag > TRUE", "flag", true)).isFalse();
        assertThat(eval("flag IN (FALSE)", "flag", false)).isTrue();
    }

    @Test
    void stringLiteralIsReadAsTheTemporalTypeOfTheColumn() {
        LocalDate day = LocalDate.of(2024, 1, 2);
        assertThat(eval("day = '2024-01-02'", "day", day)).isTrue();
        assertThat(eval("day > '2024-01-01'", "day", day)).isTrue();
        assertThat(eval("day < '2024-01-01'", "day", day)).isFalse();
        assertThat(eval("day IN ('2023-12-31', '2024-01-02')", "day", day)).isTrue();

        LocalDateTime ts = LocalDateTime.of(2024, 1, 1, 10, 0, 0, 500_000_000);
        assertThat(eval("ts > '2024-01-01 10:00:00'", "ts", ts)).isTrue();
        assertThat(eval("ts = '2024-01-01T10:00:00.5'", "ts", ts)).isTrue();
        assertThat(eval("ts = '2024-01-01 10:00:00.500000'", "ts", ts)).isTrue();
        assertThat(eval("ts < '2024-01-01 10:00:00.500001'", "ts", ts)).isTrue();
        assertThat(eval("ts = '2024-01-01'", "ts", LocalDateTime.of(2024, 1, 1, 0, 0))).isTrue();
        assertThat(eval("ts > '2024-01-01'", "ts", ts)).isTrue();

        assertThat(eval("t = '10:15:30'", "t", LocalTime.of(10, 15, 30))).isTrue();
        assertThat(eval("t < '10:15:30.25'", "t", LocalTime.of(10, 15, 30))).isTrue();
    }

    @Test
    void zonedValuesCompareAsInstantsWithOffsetFreeLiteralsInUtc() {
        OffsetDateTime tstz = OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2));
        assertThat(eval("tstz = '2024-01-01 08:00:00'", "tstz", tstz)).isTrue();
        assertThat(eval("tstz = '2024-01-01T10:00:00+02:00'", "tstz", tstz)).isTrue();
        assertThat(eval("tstz = '2024-01-01 10:00:00Z'", "tstz", tstz)).isFalse();
        assertThat(eval("tstz < '2024-01-01 10:00:00Z'", "tstz", tstz)).isTrue();
        assertThat(eval("tstz = '2024-01-01 08:00:00'", "tstz", tstz.toInstant())).isTrue();
        assertThat(eval("tstz = '2024-01-01 03:00:00-05'", "tstz", tstz.atZoneSameInstant(ZoneId.of("America/New_York"))))
                .isTrue();
        assertThat(eval("tstz >= '2024-01-01'", "tstz", Instant.parse("2024-01-01T00:00:00Z"))).isTrue();
        assertThat(eval("tstz < '2024-01-01'", "tstz", ZonedDateTime.of(2024, 1, 1, 0, 30, 0, 0, ZoneId.of("Europe/Paris"))))
                .isTrue();
    }

    @Test
    void literalOfAnIncomparableTypeFailsNamingTheColumn() {
        assertThatThrownBy(() -> eval("amount = 'abc'", "amount", 5L))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: column 'amount' holds Long values, which cannot be compared with the string literal 'abc'");
        assertThatThrownBy(() -> eval("op = 5", "op", "5"))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: column 'op' holds String values, which cannot be compared with the number literal 5");
        assertThatThrownBy(() -> eval("flag = 'true'", "flag", true))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'flag'");
        assertThatThrownBy(() -> eval("flag = 1", "flag", true))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'flag'");
        assertThatThrownBy(() -> eval("amount = TRUE", "amount", 1L))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: column 'amount' holds Long values, which cannot be compared with the boolean literal TRUE");
        assertThatThrownBy(() -> eval("day = 20240101", "day", LocalDate.of(2024, 1, 1)))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'day'");
        assertThatThrownBy(() -> eval("op = 'x'", "op", UUID.randomUUID()))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'op' holds UUID values");
    }

    @Test
    void malformedTemporalLiteralFailsNamingTheColumnAndTheExpectedForm() {
        LocalDate day = LocalDate.of(2024, 1, 1);
        assertThatThrownBy(() -> eval("day = 'yesterday'", "day", day))
                .isInstanceOf(PredicateException.class)
                .hasMessage("delete_when: column 'day' holds LocalDate values but 'yesterday' is not a date like 2024-01-01");
        assertThatThrownBy(() -> eval("day = '2024-13-01'", "day", day))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'day'");
        assertThatThrownBy(() -> eval("day = '2024-01-01 10:00:00'", "day", day))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'day'");
        assertThatThrownBy(() -> eval("ts = '2024-01-01 10:00'", "ts", LocalDateTime.of(2024, 1, 1, 10, 0)))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'ts'")
                .hasMessageContaining("a timestamp like 2024-01-01 10:00:00[.ffffff]");
        assertThatThrownBy(() -> eval("ts = '2024-01-01 10:00:00+02:00'", "ts", LocalDateTime.of(2024, 1, 1, 10, 0)))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'ts'");
        assertThatThrownBy(() -> eval("tstz = '2024-01-01 10:00:00+25:00'", "tstz", Instant.EPOCH))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'tstz'");
        assertThatThrownBy(() -> eval("t = '25:00:00'", "t", LocalTime.NOON))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 't'");
    }

    @Test
    void typeErrorsSurfaceEvenWhenAnotherOperandDecidesTheResult() {
        // The engines bind the whole expression before reading rows, so a bad literal fails whatever the data.
        assertThatThrownBy(() -> eval("op = 'D' OR amount = 'x'", "op", "D", "amount", 1L))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'amount'");
        assertThatThrownBy(() -> eval("op = 'X' AND amount = 'x'", "op", "D", "amount", 1L))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'amount'");
        assertThatThrownBy(() -> eval("amount IN (1, 'x')", "amount", 1L))
                .isInstanceOf(PredicateException.class)
                .hasMessageContaining("column 'amount'");
    }

    @Test
    void onlyDeclaredSpellingIsLookedUp() {
        Predicate predicate = Predicate.parse("OP = 'D'", COLUMNS);
        Map<String, Object> row = Map.of("op", "D");
        assertThat(predicate.evaluate(row::get)).isTrue();
        assertThat(predicate.evaluate(Map.<String, Object>of("OP", "D")::get)).isNull();
    }
}
