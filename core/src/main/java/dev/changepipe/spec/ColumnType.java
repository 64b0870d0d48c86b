package dev.changepipe.spec;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The column types a spec may declare. Values are parsed here, once, for every engine, so that a
 * value accepted by one engine is accepted by all, and a rejected one is rejected with the same reason.
 */
public enum ColumnType {
    BIGINT {
        @Override
        public Object parse(String text) {
            return Long.parseLong(text.trim());
        }
    },
    INTEGER {
        @Override
        public Object parse(String text) {
            return Integer.parseInt(text.trim());
        }
    },
    DOUBLE {
        @Override
        public Object parse(String text) {
            return Double.parseDouble(text.trim());
        }
    },
    DECIMAL {
        @Override
        public Object parse(String text) {
            BigDecimal value = new BigDecimal(text.trim());
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
            return LocalDate.parse(text.trim());
        }
    },
    /** A wall-clock time with no zone, kept exactly as written. */
    TIMESTAMP {
        @Override
        public Object parse(String text) {
            return LocalDateTime.parse(text.trim(), LOCAL_TIMESTAMP);
        }
    },
    /** An instant written with its offset; stored in UTC. A value without an offset is refused, never guessed. */
    TIMESTAMPTZ {
        @Override
        public Object parse(String text) {
            return OffsetDateTime.parse(text.trim(), OFFSET_TIMESTAMP).withOffsetSameInstant(ZoneOffset.UTC);
        }
    };

    private static final DateTimeFormatter LOCAL_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter OFFSET_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(LOCAL_TIMESTAMP)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT);

    /** Parses a non-empty field; throws an unchecked exception when the text is not of this type. */
    public abstract Object parse(String text);

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
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
