package dev.changepipe.spec;

/** Names of the validity columns of the history (SCD2) table. */
public record HistoryColumns(String start, String end, String current) {
    public static final HistoryColumns DEFAULT = new HistoryColumns("start_time", "end_time", "is_current");
}
