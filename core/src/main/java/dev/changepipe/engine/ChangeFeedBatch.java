package dev.changepipe.engine;

import java.util.List;

/**
 * Changes of the current table after a consumer's committed offset, in commit version order (and,
 * within a version, by key with a pre-image before its post-image). The consumer commits
 * {@code lastVersion} once it has processed them; until then a read returns the same changes again.
 */
public record ChangeFeedBatch(String consumer, long sinceVersion, long lastVersion, List<FeedChange> changes) {
    public ChangeFeedBatch {
        changes = List.copyOf(changes);
    }
}
