package dev.changepipe.conformance;

import dev.changepipe.spec.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * One canonical string per value, so that tables from different engines (and from the reference
 * model) compare equal whenever they hold the same values, whatever Java types a driver returns.
 *
 * <ul>
 *   <li>NULL is Java {@code null};
 *   <li>numbers are plain decimals without trailing zeros: {@code Integer 5}, {@code Long 5} and
 *       {@code BigDecimal 5.000000000} are all {@code "5"}; {@code 2.50} is {@code "2.5"};
 *   <li>booleans are {@code true}/{@code false};
 *   <li>dates are ISO ({@code 2024-03-01});
 *   <li>{@code timestamp} (no zone) is ISO without zone, seconds always shown, fraction only when
 *       non-zero ({@code 2024-03-01T10:15:00});
 *   <li>{@code timestamptz} is the same instant in UTC with a {@code Z} ({@code 2024-03-01T08:15:00Z}).
 * </ul>
 *
 * <p>The column type decides how ambiguous driver types are read: a {@link java.sql.Timestamp} is an
 * instant for a {@code timestamptz} column and a wall-clock time for a {@code timestamp} column.
 */
public final class Canonical {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z?");

    private Canonical() {}

    /** The canonical form of a value read from a column of {@code type}; {@code type} may be null when unknown. */
    public static String of(Object value, ColumnType type) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return plain(d);
        }
        if (value instanceof Double d) {
            // Double.toString is the shortest text that reads back as the same double: 0.1 stays 0.1.
            return Double.isFinite(d) ? plain(new BigDecimal(Double.toString(d))) : d.toString();
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? plain(new BigDecimal(Float.toString(f))) : f.toString();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof java.sql.Timestamp t) {
            return type == ColumnType.TIMESTAMPTZ ? instant(t.toInstant()) : local(t.toLocalDateTime(), type);
        }
        if (value instanceof LocalDateTime t) {
            // A zone-less value in a timestamptz column can only be UTC: engines store timestamptz in UTC.
            return type == ColumnType.TIMESTAMPTZ ? instant(t.toInstant(ZoneOffset.UTC)) : local(t, type);
        }
        if (value instanceof OffsetDateTime t) {
            return type == ColumnType.TIMESTAMP || type == ColumnType.DATE
                    ? local(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), type)
                    : instant(t.toInstant());
        }
        if (value instanceof ZonedDateTime t) {
            return of(t.toOffsetDateTime(), type);
        }
        if (value instanceof Instant t) {
            return of(t.atOffset(ZoneOffset.UTC), type);
        }
        if (value instanceof Number n) {
            return plain(new BigDecimal(n.toString()));
        }
        return value.toString();
    }

    /** The canonical form of a value whose column type is unknown. */
    public static String of(Object value) {
        return of(value, null);
    }

    /**
     * Orders canonical values of one column: NULL first, numbers by value (9 before 10), timestamps
     * by time (a fraction of a second sorts after the whole second), anything else as text.
     */
    public static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (NUMBER.matcher(a).matches() && NUMBER.matcher(b).matches()) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        if (TIMESTAMP.matcher(a).matches() && TIMESTAMP.matcher(b).matches()) {
            return LocalDateTime.parse(strip(a)).compareTo(LocalDateTime.parse(strip(b)));
        }
        return a.compareTo(b);
    }

    private static String strip(String timestamp) {
        return timestamp.endsWith("Z") ? timestamp.substring(0, timestamp.length() - 1) : timestamp;
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String local(LocalDateTime t, ColumnType type) {
        return type == ColumnType.DATE ? t.toLocalDate().toString() : LOCAL.format(t);
    }

    private static String instant(Instant t) {
        return LOCAL.format(t.atOffset(ZoneOffset.UTC).toLocalDateTime()) + "Z";
    }
}
