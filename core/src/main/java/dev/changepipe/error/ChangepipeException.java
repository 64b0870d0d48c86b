package dev.changepipe.error;

/** A failure with a category and a message fit to show a user on one line. */
public class ChangepipeException extends RuntimeException {
    private final ErrorCategory category;

    public ChangepipeException(ErrorCategory category, String message) {
        super(message);
        this.category = category;
    }

    public ChangepipeException(ErrorCategory category, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }

    public static ChangepipeException user(String message) {
        return new ChangepipeException(ErrorCategory.USER_ERROR, message);
    }

    public static ChangepipeException external(String message, Throwable cause) {
        return new ChangepipeException(ErrorCategory.EXTERNAL_ERROR, message, cause);
    }

    /**
     * The first line of a message: an engine's error can go on with the statement it ran, which
     * belongs in a debug log, not on a user's screen or in the task history.
     */
    public static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }

    /** A value as a message quotes it: at most 60 characters of it. */
    public static String abbreviated(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    public static ChangepipeException internal(String message, Throwable cause) {
        return new ChangepipeException(ErrorCategory.INTERNAL_ERROR, message, cause);
    }
}
