package dev.changepipe.duckdb;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The current table's change feed as its named consumers read it, each through an offset of its own. */
final class DuckDbChangeFeed {
    private final TaskConnection connection;
    private final StoredOffsets offsets;
    private final PipelineSpec spec;
    private final Map<String, Sql> fragments;

    DuckDbChangeFeed(TaskConnection connection, StoredOffsets offsets, PipelineSpec spec, Map<String, Sql> fragments) {
        this.connection = connection;
        this.offsets = offsets;
        this.spec = spec;
        this.fragments = fragments;
    }

    ChangeFeedBatch read(String consumer, int maxVersions) {
        String offsetName = Consumers.feed(consumer);
        try {
            long since = offsets.committed(offsetName);
            String changes = text("changes");
            long last = connection.queryLong("""
                    SELECT coalesce(max(_commit_version), ?) FROM (
                        SELECT DISTINCT _commit_version FROM %s WHERE _commit_version > ?
                        ORDER BY _commit_version LIMIT ?)""".formatted(changes), since, since, maxVersions);
            QueryResult rows = connection.select("""
                    SELECT _commit_version, _change_type, %s FROM %s
                    WHERE _commit_version > ? AND _commit_version <= ?
                    ORDER BY _commit_version, %s, CASE _change_type WHEN 'update_preimage' THEN 0 ELSE 1 END"""
                    .formatted(text("target_columns"), changes, text("keys")), List.of(since, last));
            List<FeedChange> feed = rows.rows().stream().map(row -> FeedChange.of(spec.targetColumns(), row)).toList();
            return new ChangeFeedBatch(consumer, since, last, feed);
        } catch (SQLException e) {
            throw ChangepipeException.external("reading the change feed of " + spec.tables().current() + " failed: "
                    + e.getMessage(), e);
        }
    }

    void commit(String consumer, long version) {
        String offsetName = Consumers.feed(consumer);
        try {
            connection.inTransaction(() -> {
                long latest = connection.queryLong("SELECT coalesce(max(_commit_version), 0) FROM " + text("changes"));
                if (version > latest) {
                    throw ChangepipeException.user("cannot commit version " + version + " for consumer " + consumer
                            + ": the change feed ends at version " + latest);
                }
                if (version > offsets.committed(offsetName)) {
                    offsets.commit(offsetName, version);
                }
                return null;
            });
        } catch (SQLException e) {
            throw ChangepipeException.external("committing the offset of " + consumer + " failed: " + e.getMessage(), e);
        }
    }

    private String text(String fragment) {
        return fragments.get(fragment).plainText();
    }
}
