package dev.changepipe.spec;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The common shapes of dates and timestamps, read digit by digit: {@code 2024-03-01},
 * {@code 2024-03-01 10:15[:30[.123456]]} (or with {@code T}), and for an offset timestamp the same
 * followed by an optional space and {@code Z} or {@code ±HH:MM}. java.time's formatter reads each
 * value through a map of fields, which made it most of the cost of reading a change file.
 *
 * <p>Each method answers only for text of exactly these shapes whose value exists, and null for
 * anything else — surrounding space, a 2024-02-30, an hour 24, seven fraction digits — which
 * {@link ColumnType} then hands to the formatter, so what is accepted and how is rejected stays the
 * formatter's rule ({@code ColumnTypeTest} compares both on seeded random text).
 */
final class TimestampText {
    private TimestampText() {}

    static LocalDate date(String text) {
        if (text.length() != 10) {
            return null;
        }
        return localDate(text);
    }

    static LocalDateTime timestamp(String text) {
        int end = localEnd(text);
        return end == text.length() ? localDateTime(text, end) : null;
    }

    static OffsetDateTime timestampWithOffset(String text) {
        int end = localEnd(text);
        LocalDateTime local = localDateTime(text, end);
        if (local == null) {
            return null;
        }
        int at = end < text.length() && text.charAt(end) == ' ' ? end + 1 : end;
        ZoneOffset offset = offset(text, at);
        return offset == null ? null : OffsetDateTime.of(local, offset).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** Where the local date and time end (after minutes, seconds or the fraction), or -1 when the text does not start with one. */
    private static int localEnd(String text) {
        int length = text.length();
        if (length < 16 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
                || !digits(text, 8, 2) || (text.charAt(10) != 'T' && text.charAt(10) != ' ') || !digits(text, 11, 2)
                || text.charAt(13) != ':' || !digits(text, 14, 2)) {
            return -1;
        }
        if (length < 19 || text.charAt(16) != ':' || !digits(text, 17, 2)) {
            return 16;
        }
        if (length < 21 || text.charAt(19) != '.' || !isDigit(text.charAt(20))) {
            return 19;
        }
        int end = 20;
        while (end < length && isDigit(text.charAt(end))) {
            end++;
        }
        return end - 20 <= 6 ? end : -1;
    }

    private static LocalDateTime localDateTime(String text, int end) {
        if (end < 0) {
            return null;
        }
        LocalDate date = localDate(text);
        if (date == null) {
            return null;
        }
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = end >= 19 ? number(text, 17, 2) : 0;
        int nanos = 0;
        if (end > 20) {
            int micros = number(text, 20, end - 20);
            for (int i = end - 20; i < 6; i++) {
                micros *= 10;
            }
            nanos = micros * 1000;
        }
        try {
            return LocalDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalDate localDate(String text) {
        if (!digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
                || !digits(text, 8, 2)) {
            return null;
        }
        try {
            return LocalDate.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code Z} or {@code ±HH:MM} from {@code at} to the end of the text. */
    private static ZoneOffset offset(String text, int at) {
        int rest = text.length() - at;
        if (rest == 1 && text.charAt(at) == 'Z') {
            return ZoneOffset.UTC;
        }
        char sign = rest == 6 ? text.charAt(at) : 0;
        if ((sign != '+' && sign != '-') || !digits(text, at + 1, 2) || text.charAt(at + 3) != ':'
                || !digits(text, at + 4, 2)) {
            return null;
        }
        int hours = number(text, at + 1, 2);
        int minutes = number(text, at + 4, 2);
        try {
            return sign == '+' ? ZoneOffset.ofHoursMinutes(hours, minutes) : ZoneOffset.ofHoursMinutes(-hours, -minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
