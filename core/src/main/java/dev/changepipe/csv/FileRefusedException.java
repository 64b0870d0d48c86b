package dev.changepipe.csv;

/** A landed file that cannot be loaded at all, for example because its header lacks a spec column. */
public final class FileRefusedException extends Exception {
    public FileRefusedException(String message) {
        super(message);
    }
}
