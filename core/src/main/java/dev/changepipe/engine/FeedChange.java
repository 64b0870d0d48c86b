package dev.changepipe.engine;

import java.util.Map;

/**
 * One row of the current table's change feed.
 *
 * @param changeType one of {@code insert}, {@code update_preimage}, {@code update_postimage}, {@code delete}
 * @param values the current table's columns (keys and value columns) before ({@code update_preimage},
 *     {@code delete}) or after ({@code insert}, {@code update_postimage}) the change
 */
public record FeedChange(long commitVersion, String changeType, Map<String, Object> values) {}
