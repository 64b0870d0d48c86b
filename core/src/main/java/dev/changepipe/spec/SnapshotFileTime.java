package dev.changepipe.spec;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a snapshot's time is written in its file's name ({@code snapshot_file_time: "customer_{yyyyMMddHHmmss}.csv"},
 * docs/semantics.md rule 7.1): the text before and after the braces as written, the braces holding the time's format.
 * The time is read strictly: a name with a time that does not exist (month 13, February 30) carries no time.
 *
 * @param text the field as written, for messages
 */
public record SnapshotFileTime(String text, String prefix, String format, String suffix) {
    private static final Pattern FIELD = Pattern.compile("([^{}]*)\\{([^{}]+)}([^{}]*)");

    /** The field's value read, or why it cannot be one. */
    static Optional<SnapshotFileTime> parse(String text, StringBuilder problem) {
        Matcher m = FIELD.matcher(text);
        if (!m.matches()) {
            problem.append("'").append(text).append("' must be a file name with the time's format in braces, such as"
                    + " customer_{yyyyMMddHHmmss}.csv");
            return Optional.empty();
        }
        try {
            formatter(m.group(2));
        } catch (IllegalArgumentException e) {
            problem.append("'").append(m.group(2)).append("' is not a date and time format: ").append(e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new SnapshotFileTime(text, m.group(1), m.group(2), m.group(3)));
    }

    /**
     * The time a file's name carries, as a value of {@code type} ({@code timestamp} or {@code date}), or empty when the
     * name is not of this shape or its time does not exist.
     */
    public Optional<Object> timeOf(String fileName, ColumnType type) {
        if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix)
                || fileName.length() < prefix.length() + suffix.length()) {
            return Optional.empty();
        }
        String time = fileName.substring(prefix.length(), fileName.length() - suffix.length());
        try {
            DateTimeFormatter formatter = formatter(format);
            return Optional.of(type == ColumnType.DATE ? LocalDate.parse(time, formatter) : LocalDateTime.parse(time, formatter));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Strict, so nothing is shifted into a time that exists; {@code y} read as the proleptic year, as strict needs. */
    private static DateTimeFormatter formatter(String format) {
        return DateTimeFormatter.ofPattern(format.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT);
    }

    @Override
    public String toString() {
        return text;
    }
}
