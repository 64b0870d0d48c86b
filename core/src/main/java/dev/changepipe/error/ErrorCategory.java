package dev.changepipe.error;

/**
 * Who has to act on a failure. The CLI prints a {@link #USER_ERROR} as one line and exits non-zero;
 * stack traces are only shown with {@code --verbose}.
 */
public enum ErrorCategory {
    /** Bad spec, bad input, bad command line: the user can fix it. */
    USER_ERROR,
    /** Something outside the project failed (disk, network, a locked warehouse); retrying may help. */
    EXTERNAL_ERROR,
    /** A bug in changepipe. */
    INTERNAL_ERROR
}
