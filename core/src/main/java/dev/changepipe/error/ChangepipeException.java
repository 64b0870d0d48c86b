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

    public static ChangepipeException internal(String message, Throwable cause) {
        return new ChangepipeException(ErrorCategory.INTERNAL_ERROR, message, cause);
    }
}
