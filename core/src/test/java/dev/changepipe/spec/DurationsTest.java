package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "1s,    PT1S",
        "5m,    PT5M",
        "1h,    PT1H",
        "2d,    PT48H",
        "0s,    PT0S",
        "' 5 m ', PT5M",
        "10S,   PT10S",
        "PT1M,  PT1M",
        "PT1.5S, PT1.5S",
        "P1DT2H, PT26H",
    })
    void parsesShortAndIsoForms(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "", "5", "1.5s", "-5s", "5 minutes", "1w", "ms", "PT"})
    void refusesOtherText(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration")
                .hasMessageContaining("250ms");
    }

    /** An amount too large for a Duration is bad input like any other, not an ArithmeticException. */
    @ParameterizedTest
    @ValueSource(strings = {"999999999999999d", "99999999999999999999s", "9223372036854775807h"})
    void refusesAmountsTooLargeForADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(NumberFormatException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0.25S, 250ms",
        "PT1S,    1s",
        "PT90S,   90s",
        "PT5M,    5m",
        "PT1H,    1h",
        "PT48H,   48h",
        "PT1.5S,  1500ms",
        "PT0S,    0ms",
    })
    void formatsTheShortestExactForm(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "1s", "5m", "1h", "0ms", "1500ms", "90s"})
    void formatOfParseIsTheSameText(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @Test
    void parseOfFormatRoundTripsRandomMillisecondDurations() {
        Random random = new Random(1234L);
        for (int i = 0; i < 5000; i++) {
            long millis = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(10_000);
                case 1 -> random.nextInt(10_000) * 1000L;
                case 2 -> random.nextInt(10_000) * 60_000L;
                default -> (long) (random.nextDouble() * 1_000_000_000_000L);
            };
            Duration duration = Duration.ofMillis(millis);
            String text = Durations.format(duration);
            assertThat(text).matches("\\d+(ms|s|m|h)");
            assertThat(Durations.parse(text)).as(text).isEqualTo(duration);
        }
    }
}
