package dev.changepipe.csv;

import java.util.List;

/**
 * A landed file whose header has columns the tables lack, under {@code schema.new_columns: add} (rule 1.10): it is read
 * once the tables have them. Thrown after the header, before any row is handed over.
 */
public final class HeaderAddsColumnsException extends Exception {
    private final List<String> columns;

    public HeaderAddsColumnsException(List<String> columns) {
        super("the header adds column '" + String.join("', '", columns) + "'");
        this.columns = List.copyOf(columns);
    }

    /** The columns to add, in header order, as the header spells them. */
    public List<String> columns() {
        return columns;
    }
}
