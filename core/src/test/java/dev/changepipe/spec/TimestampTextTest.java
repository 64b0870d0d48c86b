package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digit-by-digit reading of dates and timestamps must accept exactly what java.time's strict
 * formatters accept, with the same value, and leave the rest to them: compared on seeded random text
 * near the common shapes (valid values, impossible ones, wrong separators, lengths, offsets, space).
 */
class TimestampTextTest {
    private static final int CASES = 20_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20261201})
    void datesReadAsTheFormatterReadsThem(long seed) {
        Random random = new Random(seed);
        int fast = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutate(random, date(random));
            fast += compare(text, ColumnType.DATE, ColumnType::dateByFormatter, TimestampText.date(text));
        }
        assertThat(fast).as("texts read digit by digit").isGreaterThan(CASES / 4);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20261201})
    void timestampsReadAsTheFormatterReadsThem(long seed) {
        Random random = new Random(seed);
        int fast = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutate(random, date(random) + (random.nextBoolean() ? 'T' : ' ') + time(random));
            fast += compare(text, ColumnType.TIMESTAMP, ColumnType::timestampByFormatter, TimestampText.timestamp(text));
        }
        assertThat(fast).as("texts read digit by digit").isGreaterThan(CASES / 4);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20261201})
    void offsetTimestampsReadAsTheFormatterReadsThem(long seed) {
        Random random = new Random(seed);
        int fast = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutate(random, date(random) + (random.nextBoolean() ? 'T' : ' ') + time(random)
                    + (random.nextInt(4) == 0 ? " " : "") + offset(random));
            fast += compare(text, ColumnType.TIMESTAMPTZ, ColumnType::offsetTimestampByFormatter,
                    TimestampText.timestampWithOffset(text));
        }
        assertThat(fast).as("texts read digit by digit").isGreaterThan(CASES / 8);
    }

    /** Checks one text; 1 when it was read digit by digit. */
    private static int compare(String text, ColumnType type, Function<String, Object> formatter, Object fast) {
        Object expected;
        try {
            expected = formatter.apply(text);
        } catch (RuntimeException e) {
            expected = null;
        }
        Object parsed;
        try {
            parsed = type.parse(text);
        } catch (RuntimeException e) {
            parsed = null;
        }
        assertThat(parsed).as("'%s' as %s", text, type).isEqualTo(expected);
        if (fast != null) {
            assertThat(fast).as("'%s' read digit by digit", text).isEqualTo(expected);
            return 1;
        }
        return 0;
    }

    private static String date(Random random) {
        int year = random.nextInt(10) == 0 ? random.nextInt(10_000) : 1990 + random.nextInt(40);
        return pad(year, 4) + "-" + pad(random.nextInt(14), 2) + "-" + pad(random.nextInt(33), 2);
    }

    private static String time(Random random) {
        StringBuilder time = new StringBuilder(pad(random.nextInt(26), 2) + ":" + pad(random.nextInt(62), 2));
        if (random.nextInt(5) > 0) {
            time.append(':').append(pad(random.nextInt(62), 2));
            if (random.nextBoolean()) {
                time.append('.');
                int digits = random.nextInt(9);
                for (int i = 0; i < digits; i++) {
                    time.append(random.nextInt(10));
                }
            }
        }
        return time.toString();
    }

    private static String offset(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "Z";
            case 1 -> "z";
            case 2 -> "+" + pad(random.nextInt(20), 2);
            default -> (random.nextBoolean() ? "+" : "-") + pad(random.nextInt(20), 2) + ":" + pad(random.nextInt(62), 2);
        };
    }

    /** Usually the text as made; sometimes one character changed, dropped or added, or space around it. */
    private static String mutate(Random r, String text) {
        String chars = "0123456789-:T .Z+ x";
        return switch (r.nextInt(10)) {
            case 0 -> {
                int at = r.nextInt(text.length());
                yield text.substring(0, at) + chars.charAt(r.nextInt(chars.length())) + text.substring(at + 1);
            }
            case 1 -> {
                int at = r.nextInt(text.length());
                yield text.substring(0, at) + text.substring(at + 1);
            }
            case 2 -> {
                int at = r.nextInt(text.length() + 1);
                yield text.substring(0, at) + chars.charAt(r.nextInt(chars.length())) + text.substring(at);
            }
            case 3 -> (r.nextBoolean() ? " " : "") + text + (r.nextBoolean() ? " " : "\t");
            default -> text;
        };
    }

    private static String pad(int value, int width) {
        String text = Integer.toString(value);
        return "0".repeat(Math.max(0, width - text.length())) + text;
    }
}
