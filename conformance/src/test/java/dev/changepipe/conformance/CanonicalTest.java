package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** Drivers return different Java types for the same value; the canonical form must not care. */
class CanonicalTest {

    @Test
    void integersOfEveryJavaTypeAreTheSame() {
        assertThat(Canonical.of(5)).isEqualTo("5");
        assertThat(Canonical.of(5L)).isEqualTo("5");
        assertThat(Canonical.of((short) 5)).isEqualTo("5");
        assertThat(Canonical.of(BigInteger.valueOf(5))).isEqualTo("5");
        assertThat(Canonical.of(new BigDecimal("5.000000000"))).isEqualTo("5");
        assertThat(Canonical.of(-7L, ColumnType.BIGINT)).isEqualTo("-7");
    }

    @Test
    void decimalsArePlainWithoutTrailingZerosWhateverTheirScale() {
        assertThat(Canonical.of(new BigDecimal("10.250000000"))).isEqualTo("10.25");
        assertThat(Canonical.of(new BigDecimal("10.25"))).isEqualTo("10.25");
        assertThat(Canonical.of(new BigDecimal("0E-9"))).isEqualTo("0");
        assertThat(Canonical.of(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Canonical.of(new BigDecimal("0.000000001"))).isEqualTo("0.000000001");
        assertThat(Canonical.of(2.5d)).isEqualTo("2.5");
        assertThat(Canonical.of(2.0d)).isEqualTo("2");
        assertThat(Canonical.of(0.1d)).isEqualTo("0.1");
        assertThat(Canonical.of(0.1f)).isEqualTo("0.1");
        assertThat(Canonical.of(1e20)).isEqualTo("100000000000000000000");
    }

    @Test
    void nullBooleansTextAndDates() {
        assertThat(Canonical.of(null, ColumnType.BIGINT)).isNull();
        assertThat(Canonical.of(true)).isEqualTo("true");
        assertThat(Canonical.of(Boolean.FALSE)).isEqualTo("false");
        assertThat(Canonical.of("null")).isEqualTo("null");
        assertThat(Canonical.of(LocalDate.of(2024, 3, 1))).isEqualTo("2024-03-01");
        assertThat(Canonical.of(java.sql.Date.valueOf(LocalDate.of(2024, 3, 1)))).isEqualTo("2024-03-01");
    }

    @Test
    void timestampsWithoutZoneAreIsoWithSecondsAndOnlyANeededFraction() {
        LocalDateTime time = LocalDateTime.of(2024, 3, 1, 10, 15);
        assertThat(Canonical.of(time, ColumnType.TIMESTAMP)).isEqualTo("2024-03-01T10:15:00");
        assertThat(Canonical.of(Timestamp.valueOf(time), ColumnType.TIMESTAMP)).isEqualTo("2024-03-01T10:15:00");
        assertThat(Canonical.of(time.withNano(123_456_000), ColumnType.TIMESTAMP)).isEqualTo("2024-03-01T10:15:00.123456");
        assertThat(Canonical.of(time.atOffset(ZoneOffset.UTC), ColumnType.TIMESTAMP)).isEqualTo("2024-03-01T10:15:00");
    }

    @Test
    void timestamptzIsTheSameInstantInUtcWhateverTheJavaType() {
        String expected = "2024-03-01T08:15:00Z";
        OffsetDateTime plusTwo = OffsetDateTime.of(2024, 3, 1, 10, 15, 0, 0, ZoneOffset.ofHours(2));
        assertThat(Canonical.of(plusTwo, ColumnType.TIMESTAMPTZ)).isEqualTo(expected);
        assertThat(Canonical.of(plusTwo.withOffsetSameInstant(ZoneOffset.UTC), ColumnType.TIMESTAMPTZ)).isEqualTo(expected);
        assertThat(Canonical.of(plusTwo.atZoneSameInstant(ZoneId.of("America/New_York")), ColumnType.TIMESTAMPTZ))
                .isEqualTo(expected);
        assertThat(Canonical.of(plusTwo.toInstant(), ColumnType.TIMESTAMPTZ)).isEqualTo(expected);
        assertThat(Canonical.of(LocalDateTime.of(2024, 3, 1, 8, 15), ColumnType.TIMESTAMPTZ)).isEqualTo(expected);
        assertThat(Canonical.of(plusTwo)).as("an offset value of unknown type is an instant").isEqualTo(expected);
    }

    @Test
    void aSqlTimestampInATimestamptzColumnIsAnInstantWhateverTheJvmZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            Timestamp instant = Timestamp.from(Instant.parse("2024-03-01T08:15:00Z"));
            assertThat(Canonical.of(instant, ColumnType.TIMESTAMPTZ)).isEqualTo("2024-03-01T08:15:00Z");
            assertThat(Canonical.of(Timestamp.valueOf(LocalDateTime.of(2024, 3, 1, 10, 15)), ColumnType.TIMESTAMP))
                    .isEqualTo("2024-03-01T10:15:00");
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void compareOrdersNumbersByValueAndTimestampsByTime() {
        assertThat(Canonical.compare("9", "10")).isNegative();
        assertThat(Canonical.compare("-1", "0.5")).isNegative();
        assertThat(Canonical.compare(null, "1")).isNegative();
        assertThat(Canonical.compare("1", null)).isPositive();
        assertThat(Canonical.compare(null, null)).isZero();
        assertThat(Canonical.compare("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.5Z")).isNegative();
        assertThat(Canonical.compare("2024-03-01T10:00:00", "2024-03-01T09:59:59.999")).isPositive();
        assertThat(Canonical.compare("Ann", "Bob")).isNegative();
    }
}
