package dev.changepipe.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * Names of the validity columns of the history (SCD2) table, and the end an open version carries.
 *
 * @param openEnd the end of an open version (rule 5.6), a value of the sequence column's type; empty for NULL
 */
public record HistoryColumns(String start, String end, String current, Optional<Object> openEnd) {
    public static final HistoryColumns DEFAULT = new HistoryColumns("start_time", "end_time", "is_current");

    public HistoryColumns {
        Objects.requireNonNull(openEnd, "openEnd");
    }

    public HistoryColumns(String start, String end, String current) {
        this(start, end, current, Optional.empty());
    }
}
