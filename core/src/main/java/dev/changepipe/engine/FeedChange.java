package dev.changepipe.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the current table's change feed.
 *
 * @param changeType one of {@code insert}, {@code update_preimage}, {@code update_postimage}, {@code delete}
 * @param values the current table's columns (keys and value columns) before ({@code update_preimage},
 *     {@code delete}) or after ({@code insert}, {@code update_postimage}) the change
 */
public record FeedChange(long commitVersion, String changeType, Map<String, Object> values) {

    /** A row read as {@code _commit_version, _change_type} and then the {@code columns}, in order. */
    public static FeedChange of(List<String> columns, List<Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), row.get(i + 2));
        }
        return new FeedChange(((Number) row.get(0)).longValue(), (String) row.get(1), values);
    }
}
