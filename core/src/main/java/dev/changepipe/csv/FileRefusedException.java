package dev.changepipe.csv;

/** A landed file that cannot be loaded at all, for example because its header lacks a spec column. */
public final class FileRefusedException extends Exception {
    private final CheckCounts checks;

    public FileRefusedException(String message) {
        this(message, CheckCounts.NONE);
    }

    /** @param checks the check that refused the file, when one did */
    public FileRefusedException(String message, CheckCounts checks) {
        super(message);
        this.checks = checks;
    }

    /** The check that refused the file, if one did; empty otherwise. */
    public CheckCounts checks() {
        return checks;
    }
}
