package dev.changepipe.spec.predicate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a non-null column value with a literal the way DuckDB and Spark SQL compare a typed
 * column with a constant. Where the engines would silently cast (a string column against a number,
 * say) and could disagree with each other, this refuses instead, so the reference model never
 * quietly answers differently from an engine.
 */
final class Values {

    private static final String DATE = "(\\d{4})-(\\d{2})-(\\d{2})";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?";
    private static final Pattern DATE_ONLY = Pattern.compile(DATE);
    private static final Pattern TIME_ONLY = Pattern.compile(TIME);
    private static final Pattern TIMESTAMP = Pattern.compile(DATE + "(?:[ T]" + TIME + ")?");
    private static final Pattern TIMESTAMP_TZ =
            Pattern.compile(DATE + "(?:[ T]" + TIME + "(Z|[+-]\\d{2}(?::?\\d{2})?)?)?");

    private Values() {
    }

    /** Negative, zero or positive as the column value is below, equal to or above the literal. */
    static int compare(String column, Object value, Literal literal) {
        if (literal instanceof Literal.NumberLiteral number) {
            return compareNumber(column, value, number.value());
        }
        if (literal instanceof Literal.BooleanLiteral bool) {
            if (value instanceof Boolean b) {
                return Boolean.compare(b, bool.value());
            }
            throw mismatch(column, value, literal);
        }
        String text = ((Literal.StringLiteral) literal).value();
        if (value instanceof String s) {
            return compareCodePoints(s, text);
        }
        try {
            if (value instanceof LocalDate date) {
                return date.compareTo(localDate(match(DATE_ONLY, text)));
            }
            if (value instanceof LocalDateTime dateTime) {
                return dateTime.compareTo(localDateTime(match(TIMESTAMP, text)));
            }
            if (value instanceof LocalTime time) {
                return time.compareTo(localTime(match(TIME_ONLY, text), 1));
            }
            if (value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof Instant) {
                return instant(value).compareTo(instant(match(TIMESTAMP_TZ, text)));
            }
        } catch (DateTimeException e) {
            throw new PredicateException("delete_when: column '" + column + "' holds " + describe(value)
                    + " values but " + literal + " is not " + example(value), e);
        }
        throw mismatch(column, value, literal);
    }

    private static int compareNumber(String column, Object value, BigDecimal literal) {
        // A DOUBLE column meets a decimal constant as DOUBLE in both engines, so 0.1 equals 0.1.
        if (value instanceof Double || value instanceof Float) {
            double a = ((Number) value).doubleValue();
            double b = literal.doubleValue();
            // SQL has one zero (-0.0 = 0.0) and orders NaN above every number, as Double.compare does.
            return a == b ? 0 : Double.compare(a, b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue()).compareTo(literal);
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big).compareTo(literal);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.compareTo(literal);
        }
        throw mismatch(column, value, new Literal.NumberLiteral(literal));
    }

    /**
     * Orders by code point, which is the UTF-8 byte order DuckDB and Spark use for binary string
     * comparison; String.compareTo differs for characters outside the Basic Multilingual Plane.
     */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static Matcher match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.matches()) {
            throw new DateTimeException("not in ISO form: " + text);
        }
        return matcher;
    }

    private static LocalDate localDate(Matcher m) {
        return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** A timestamp literal without a time of day means midnight, as the engines' casts do. */
    private static LocalDateTime localDateTime(Matcher m) {
        LocalDate date = localDate(m);
        return m.group(4) == null ? date.atStartOfDay() : date.atTime(localTime(m, 4));
    }

    private static LocalTime localTime(Matcher m, int firstGroup) {
        String fraction = m.group(firstGroup + 3) == null ? "" : m.group(firstGroup + 3);
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        return LocalTime.of(Integer.parseInt(m.group(firstGroup)), Integer.parseInt(m.group(firstGroup + 1)),
                Integer.parseInt(m.group(firstGroup + 2)), nanos);
    }

    /** A literal without an offset is read as UTC, the session time zone the engines are run with. */
    private static Instant instant(Matcher m) {
        String offset = m.group(8);
        return localDateTime(m).toInstant(offset == null ? ZoneOffset.UTC : ZoneOffset.of(offset));
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        if (value instanceof ZonedDateTime zonedDateTime) {
            return zonedDateTime.toInstant();
        }
        return (Instant) value;
    }

    private static PredicateException mismatch(String column, Object value, Literal literal) {
        String kind = literal instanceof Literal.StringLiteral ? "string"
                : literal instanceof Literal.NumberLiteral ? "number" : "boolean";
        // The value itself is left out: rows can carry personal data and this message ends up in logs.
        return new PredicateException("delete_when: column '" + column + "' holds " + describe(value)
                + " values, which cannot be compared with the " + kind + " literal " + literal);
    }

    private static String describe(Object value) {
        return value.getClass().getSimpleName();
    }

    private static String example(Object value) {
        if (value instanceof LocalDate) {
            return "a date like 2024-01-01";
        }
        if (value instanceof LocalTime) {
            return "a time like 10:00:00[.ffffff]";
        }
        if (value instanceof LocalDateTime) {
            return "a timestamp like 2024-01-01 10:00:00[.ffffff]";
        }
        return "a timestamp like 2024-01-01 10:00:00[.ffffff][+02:00]";
    }
}
