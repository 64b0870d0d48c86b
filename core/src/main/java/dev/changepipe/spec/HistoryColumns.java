package dev.changepipe.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Names of the validity columns of the history (SCD2) table, the end an open version carries, and the
 * delete flag of {@code history_deletes: row}.
 *
 * @param openEnd the end of an open version (rule 5.6), a value of the sequence column's type; empty for NULL
 * @param deleted the column that marks a delete's own version (rule 5.7, {@code history_deletes: row}); empty
 *     when a delete only closes the open version ({@code history_deletes: close}, the default)
 */
public record HistoryColumns(String start, String end, String current, Optional<Object> openEnd,
        Optional<String> deleted) {
    public static final HistoryColumns DEFAULT = new HistoryColumns("start_time", "end_time", "is_current");
    /** The delete flag's name when {@code history_deletes: row} names none. */
    public static final String DEFAULT_DELETED = "is_deleted";

    public HistoryColumns {
        Objects.requireNonNull(openEnd, "openEnd");
        Objects.requireNonNull(deleted, "deleted");
    }

    public HistoryColumns(String start, String end, String current) {
        this(start, end, current, Optional.empty(), Optional.empty());
    }

    /** The names of the history's own columns: start, end, the current flag and, when there is one, the delete flag. */
    public List<String> names() {
        List<String> names = new ArrayList<>(List.of(start, end, current));
        deleted.ifPresent(names::add);
        return List.copyOf(names);
    }
}
