package dev.changepipe.spec;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The column types a spec may declare. Values are parsed here, once, for every engine, so that a
 * value accepted by one engine is accepted by all, and a rejected one is rejected with the same reason.
 */
public enum ColumnType {
    BIGINT {
        @Override
        public Object parse(String text) {
            return Long.parseLong(numberText(text, INTEGER_TEXT));
        }
    },
    INTEGER {
        @Override
        public Object parse(String text) {
            return Integer.parseInt(numberText(text, INTEGER_TEXT));
        }
    },
    DOUBLE {
        @Override
        public Object parse(String text) {
            String trimmed = text.trim();
            return Double.parseDouble(SPECIAL_DOUBLE.matcher(trimmed).matches() ? trimmed : numberText(trimmed, DECIMAL_TEXT));
        }
    },
    DECIMAL {
        @Override
        public Object parse(String text) {
            BigDecimal value = new BigDecimal(numberText(text, DECIMAL_TEXT));
            if (value.scale() > 9 || value.precision() - value.scale() > 29) {
                throw new IllegalArgumentException("does not fit decimal(38,9)");
            }
            return value.setScale(9);
        }
    },
    VARCHAR {
        @Override
        public Object parse(String text) {
            return text;
        }
    },
    BOOLEAN {
        @Override
        public Object parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "t", "1", "yes", "y" -> Boolean.TRUE;
                case "false", "f", "0", "no", "n" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean");
            };
        }
    },
    DATE {
        @Override
        public Object parse(String text) {
            LocalDate common = TimestampText.date(text);
            return common != null ? common : dateByFormatter(text);
        }
    },
    /** A wall-clock time with no zone, kept exactly as written. */
    TIMESTAMP {
        @Override
        public Object parse(String text) {
            LocalDateTime common = TimestampText.timestamp(text);
            return common != null ? common : timestampByFormatter(text);
        }
    },
    /** An instant written with its offset; stored in UTC. A value without an offset is refused, never guessed. */
    TIMESTAMPTZ {
        @Override
        public Object parse(String text) {
            OffsetDateTime common = TimestampText.timestampWithOffset(text);
            return common != null ? common : offsetTimestampByFormatter(text);
        }
    };

    /** Plain decimal text in ASCII digits; Java's parsers also take 1d, 0x1p3 and non-ASCII digits. */
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern SPECIAL_DOUBLE = Pattern.compile("[+-]?Infinity|NaN");

    /**
     * Date, then 'T' (a space is turned into one by {@link #withT}), then the time; seconds and a 1-6 digit
     * fraction optional. Strict: the default (smart) resolver would turn 2024-02-30 into 2024-02-29 and
     * 24:00 into the next day's 00:00, shifting a value silently.
     */
    private static final DateTimeFormatter LOCAL_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 1, 6, true).optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter OFFSET_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(LOCAL_TIMESTAMP)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private static String numberText(String text, Pattern shape) {
        String trimmed = text.trim();
        // Most numbers are plain integers: checked by hand, as a regular expression costs more than the parse.
        if (shape == INTEGER_TEXT ? !isIntegerText(trimmed) : !shape.matcher(trimmed).matches()) {
            throw new NumberFormatException("not a number: " + trimmed);
        }
        return trimmed;
    }

    /** The rule for dates and timestamps: what java.time's strict formatters accept, as they read it. */
    static LocalDate dateByFormatter(String text) {
        return LocalDate.parse(text.trim());
    }

    static LocalDateTime timestampByFormatter(String text) {
        return LocalDateTime.parse(withT(text), LOCAL_TIMESTAMP);
    }

    static OffsetDateTime offsetTimestampByFormatter(String text) {
        return OffsetDateTime.parse(withT(text), OFFSET_TIMESTAMP).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** {@code [+-]?[0-9]+}. */
    private static boolean isIntegerText(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The date and the time are separated by exactly one 'T' or one space. */
    private static String withT(String text) {
        String trimmed = text.trim();
        return trimmed.length() > 10 && trimmed.charAt(10) == ' '
                ? trimmed.substring(0, 10) + 'T' + trimmed.substring(11)
                : trimmed;
    }

    /** Parses a non-empty field; throws an unchecked exception when the text is not of this type. */
    public abstract Object parse(String text);

    /** A value of this type as {@link #parse} returns it, to try a condition on before any row is read. */
    public Object sampleValue() {
        return switch (this) {
            case BIGINT -> 0L;
            case INTEGER -> 0;
            case DOUBLE -> 0.0;
            case DECIMAL -> BigDecimal.ZERO.setScale(9);
            case VARCHAR -> "";
            case BOOLEAN -> Boolean.FALSE;
            case DATE -> LocalDate.EPOCH;
            case TIMESTAMP -> LocalDateTime.of(1970, 1, 1, 0, 0);
            case TIMESTAMPTZ -> OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        };
    }

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether every value of this type is a value of {@code wider}, exactly: integer to bigint, decimal or double, and
     * bigint to decimal (38 digits hold bigint's 19 with 9 decimals). A table column may be widened so (rule 1.9);
     * bigint to double is not, since a double cannot hold every bigint.
     */
    public boolean widensTo(ColumnType wider) {
        return switch (this) {
            case INTEGER -> wider == BIGINT || wider == DECIMAL || wider == DOUBLE;
            case BIGINT -> wider == DECIMAL;
            default -> false;
        };
    }

    public static Optional<ColumnType> fromSpec(String name) {
        String folded = name.trim().toLowerCase(Locale.ROOT);
        return switch (folded) {
            case "long", "int8" -> Optional.of(BIGINT);
            case "int", "int4" -> Optional.of(INTEGER);
            case "float8", "double precision" -> Optional.of(DOUBLE);
            case "numeric" -> Optional.of(DECIMAL);
            case "string", "text" -> Optional.of(VARCHAR);
            case "bool" -> Optional.of(BOOLEAN);
            case "timestamp_ntz" -> Optional.of(TIMESTAMP);
            case "timestamp with time zone", "timestamp_ltz" -> Optional.of(TIMESTAMPTZ);
            default -> Arrays.stream(values()).filter(t -> t.specName().equals(folded)).findFirst();
        };
    }

    public static String names() {
        return Arrays.stream(values()).map(ColumnType::specName).collect(Collectors.joining(", "));
    }
}
