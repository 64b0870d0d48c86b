package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnTypeTest {

    // ---------------------------------------------------------------- valid text, per type

    @Test
    void bigintParsesLongsIncludingTheLimits() {
        assertThat(ColumnType.BIGINT.parse("42")).isEqualTo(42L);
        assertThat(ColumnType.BIGINT.parse(" -7 ")).isEqualTo(-7L);
        assertThat(ColumnType.BIGINT.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(ColumnType.BIGINT.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void integerParsesInts() {
        assertThat(ColumnType.INTEGER.parse("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(ColumnType.INTEGER.parse("-12")).isEqualTo(-12);
    }

    @Test
    void doubleParsesDecimalAndScientificText() {
        assertThat(ColumnType.DOUBLE.parse("1.5")).isEqualTo(1.5d);
        assertThat(ColumnType.DOUBLE.parse("-2.5e3")).isEqualTo(-2500d);
        assertThat(ColumnType.DOUBLE.parse("7")).isEqualTo(7d);
    }

    @Test
    void decimalIsScaledToNineDigits() {
        assertThat(ColumnType.DECIMAL.parse("12.5")).isEqualTo(new BigDecimal("12.500000000"));
        assertThat(((BigDecimal) ColumnType.DECIMAL.parse("12.5")).scale()).isEqualTo(9);
        assertThat(ColumnType.DECIMAL.parse("-0.123456789")).isEqualTo(new BigDecimal("-0.123456789"));
        assertThat(ColumnType.DECIMAL.parse("1E+3")).isEqualTo(new BigDecimal("1000.000000000"));
    }

    @Test
    void decimalKeepsTwentyNineIntegerDigits() {
        String largest = "9".repeat(29) + "." + "9".repeat(9);
        assertThat(ColumnType.DECIMAL.parse(largest)).isEqualTo(new BigDecimal(largest));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000000001", "1.1234567891", "1E-10"})
    void decimalRefusesMoreThanNineFractionDigits(String text) {
        assertThatThrownBy(() -> ColumnType.DECIMAL.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decimal(38,9)");
    }

    @Test
    void decimalRefusesMoreThanTwentyNineIntegerDigits() {
        assertThatThrownBy(() -> ColumnType.DECIMAL.parse("1" + "0".repeat(29)))
                .hasMessageContaining("decimal(38,9)");
        assertThatThrownBy(() -> ColumnType.DECIMAL.parse("1E+29")).hasMessageContaining("decimal(38,9)");
        assertThat(ColumnType.DECIMAL.parse("1E+28")).isEqualTo(new BigDecimal("1E+28").setScale(9));
    }

    @Test
    void varcharKeepsTheTextExactly() {
        assertThat(ColumnType.VARCHAR.parse("  spaced, \"quoted\"  ")).isEqualTo("  spaced, \"quoted\"  ");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "T, true", "1, true", "Yes, true", "y, true", " TRUE , true",
        "false, false", "f, false", "0, false", "NO, false", "n, false"})
    void booleanWords(String text, boolean expected) {
        assertThat(ColumnType.BOOLEAN.parse(text)).isEqualTo(expected);
    }

    @Test
    void dateIsIsoAndStrict() {
        assertThat(ColumnType.DATE.parse("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThatThrownBy(() -> ColumnType.DATE.parse("2023-02-29")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> ColumnType.DATE.parse("2024-1-5")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> ColumnType.DATE.parse("05/01/2024")).isInstanceOf(RuntimeException.class);
    }

    // ---------------------------------------------------------------- timestamps

    @ParameterizedTest
    @CsvSource({
        "2024-01-01T10:11:12,        2024-01-01T10:11:12",
        "2024-01-01 10:11:12,        2024-01-01T10:11:12",
        "2024-01-01 10:11,           2024-01-01T10:11:00",
        "2024-01-01 10:11:12.1,      2024-01-01T10:11:12.100",
        "2024-01-01T10:11:12.12,     2024-01-01T10:11:12.120",
        "2024-01-01 10:11:12.123456, 2024-01-01T10:11:12.123456",
        "' 2024-12-31 23:59:59 ',    2024-12-31T23:59:59",
    })
    void timestampKeepsTheWallClockWithTOrSpace(String text, String expected) {
        assertThat(ColumnType.TIMESTAMP.parse(text)).isEqualTo(LocalDateTime.parse(expected));
    }

    @Test
    void timestampAcceptsZeroToSixFractionDigits() {
        for (int digits = 0; digits <= 6; digits++) {
            String fraction = digits == 0 ? "" : "." + "123456".substring(0, digits);
            LocalDateTime parsed = (LocalDateTime) ColumnType.TIMESTAMP.parse("2024-03-04 05:06:07" + fraction);
            int micros = digits == 0 ? 0 : Integer.parseInt("123456".substring(0, digits) + "0".repeat(6 - digits));
            assertThat(parsed).as("%d digits", digits).isEqualTo(LocalDateTime.of(2024, 3, 4, 5, 6, 7, micros * 1000));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01 10:11:12.1234567", "2024-01-01", "2024-01-01 25:00:00", "10:11:12",
        "2024-01-01 10:11:12+02:00", "2024-01-01 10:11:12Z"})
    void timestampRefusesOtherShapes(String text) {
        assertThatThrownBy(() -> ColumnType.TIMESTAMP.parse(text)).isInstanceOf(RuntimeException.class);
    }

    /** A day or an hour that does not exist is refused, never moved to the nearest one that does (rule 1.6). */
    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30 10:00:00", "2023-02-29 00:00", "2024-04-31T01:02:03", "2024-03-01 24:00:00"})
    void timestampsThatDoNotExistAreRefusedNotShifted(String text) {
        assertThatThrownBy(() -> ColumnType.TIMESTAMP.parse(text)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> ColumnType.TIMESTAMPTZ.parse(text + "Z")).isInstanceOf(RuntimeException.class);
    }

    /** The date and the time are separated by exactly one 'T' or one space; a stray '.' is no fraction. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-01-0110:11:12", "2024-01-01T 10:11:12", "2024-01-01 10:11:12."})
    void timestampRefusesSloppySeparators(String text) {
        assertThatThrownBy(() -> ColumnType.TIMESTAMP.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void timestamptzConvertsToUtc() {
        assertThat(ColumnType.TIMESTAMPTZ.parse("2024-01-01 10:00:00+02:00"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ColumnType.TIMESTAMPTZ.parse("2024-01-01T10:00:00Z"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ColumnType.TIMESTAMPTZ.parse("2024-01-01 23:30:00.5 -05:30"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 5, 0, 0, 500_000_000, ZoneOffset.UTC));
        assertThat(((OffsetDateTime) ColumnType.TIMESTAMPTZ.parse("2024-06-01 00:00+09:00")).getOffset())
                .isEqualTo(ZoneOffset.UTC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01 10:00:00", "2024-01-01T10:00", "2024-01-01"})
    void timestamptzRefusesAValueWithoutOffset(String text) {
        assertThatThrownBy(() -> ColumnType.TIMESTAMPTZ.parse(text)).isInstanceOf(RuntimeException.class);
    }

    // ---------------------------------------------------------------- invalid text

    @ParameterizedTest(name = "[{index}] {0} ''{1}''")
    @CsvSource({
        "BIGINT,  abc",
        "BIGINT,  1.5",
        "BIGINT,  9223372036854775808",
        "BIGINT,  '1 000'",
        "INTEGER, 2147483648",
        "INTEGER, 0x10",
        "DOUBLE,  abc",
        "DOUBLE,  '1,5'",
        "DECIMAL, 12.3.4",
        "DECIMAL, 'ten'",
        "BOOLEAN, maybe",
        "BOOLEAN, 2",
        "DATE,    2024-13-01",
        "TIMESTAMP, yesterday",
        "TIMESTAMPTZ, 2024-01-01 10:00:00 CET",
    })
    void invalidTextThrows(ColumnType type, String text) {
        assertThatThrownBy(() -> type.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = ColumnType.class, names = "VARCHAR", mode = EnumSource.Mode.EXCLUDE)
    void blankTextThrowsForEveryTypeButVarchar(ColumnType type) {
        assertThatThrownBy(() -> type.parse(" ")).isInstanceOf(RuntimeException.class);
    }

    /**
     * Numbers in a CSV are plain decimal text. Java's own parsers also take literal suffixes (1d, 2f),
     * hexadecimal floats and non-ASCII digits, which no other CSV reader would load as numbers.
     */
    @ParameterizedTest(name = "[{index}] {0} ''{1}''")
    @CsvSource({
        "DOUBLE,  1d",
        "DOUBLE,  2f",
        "DOUBLE,  0x1p3",
        "BIGINT,  \u0661\u0662\u0663",
        "INTEGER, \uff11\uff12",
        "DECIMAL, \u0661.5",
    })
    void numbersAreAsciiDecimalText(ColumnType type, String text) {
        assertThatThrownBy(() -> type.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void bigintRoundTripsRandomValues() {
        Random random = new Random(20240601L);
        for (int i = 0; i < 2000; i++) {
            long value = random.nextLong();
            assertThat(ColumnType.BIGINT.parse(Long.toString(value))).isEqualTo(value);
        }
    }

    @Test
    void decimalRoundTripsRandomValuesThatFit() {
        Random random = new Random(42L);
        for (int i = 0; i < 2000; i++) {
            int integerDigits = 1 + random.nextInt(29);
            int fractionDigits = random.nextInt(10);
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            text.append(1 + random.nextInt(9));
            for (int d = 1; d < integerDigits; d++) {
                text.append(random.nextInt(10));
            }
            if (fractionDigits > 0) {
                text.append('.');
                for (int d = 0; d < fractionDigits; d++) {
                    text.append(random.nextInt(10));
                }
            }
            BigDecimal parsed = (BigDecimal) ColumnType.DECIMAL.parse(text.toString());
            assertThat(parsed.scale()).isEqualTo(9);
            assertThat(parsed.compareTo(new BigDecimal(text.toString()))).as(text.toString()).isZero();
        }
    }

    @Test
    void timestampRoundTripsRandomWallClocks() {
        Random random = new Random(7L);
        for (int i = 0; i < 1000; i++) {
            LocalDateTime value = LocalDateTime.of(1900 + random.nextInt(300), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextInt(1_000_000) * 1000);
            String text = value.toString().replace('T', random.nextBoolean() ? 'T' : ' ');
            assertThat(ColumnType.TIMESTAMP.parse(text)).as(text).isEqualTo(value);
        }
    }

    // ---------------------------------------------------------------- names

    @ParameterizedTest
    @CsvSource({
        "bigint, BIGINT", "long, BIGINT", "int8, BIGINT", "BIGINT, BIGINT",
        "integer, INTEGER", "int, INTEGER", "int4, INTEGER",
        "double, DOUBLE", "float8, DOUBLE", "double precision, DOUBLE",
        "decimal, DECIMAL", "numeric, DECIMAL",
        "varchar, VARCHAR", "string, VARCHAR", "text, VARCHAR", "String, VARCHAR",
        "boolean, BOOLEAN", "bool, BOOLEAN",
        "date, DATE",
        "timestamp, TIMESTAMP", "timestamp_ntz, TIMESTAMP", "TIMESTAMP_NTZ, TIMESTAMP",
        "timestamptz, TIMESTAMPTZ", "timestamp with time zone, TIMESTAMPTZ", "timestamp_ltz, TIMESTAMPTZ",
        "' varchar ', VARCHAR",
    })
    void fromSpecAcceptsNamesAndAliases(String name, ColumnType expected) {
        assertThat(ColumnType.fromSpec(name)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uuid", "float", "decimal(10,2)", "varchar(20)", "timestamp_tz", "", "json"})
    void fromSpecRefusesOtherNames(String name) {
        assertThat(ColumnType.fromSpec(name)).isEqualTo(Optional.empty());
    }

    @Test
    void specNamesAreLowerCaseAndListedInOrder() {
        assertThat(ColumnType.TIMESTAMPTZ.specName()).isEqualTo("timestamptz");
        assertThat(ColumnType.names())
                .isEqualTo("bigint, integer, double, decimal, varchar, boolean, date, timestamp, timestamptz");
        for (ColumnType type : ColumnType.values()) {
            assertThat(ColumnType.fromSpec(type.specName())).contains(type);
        }
    }
}
