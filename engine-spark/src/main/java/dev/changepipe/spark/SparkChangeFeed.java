package dev.changepipe.spark;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Consumers;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.engine.Offset;
import dev.changepipe.error.ChangepipeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The change feed between the current and history tables, which is the current table's Delta Change Data
 * Feed, and its named consumers' offsets: one row each in the warehouse's offsets table
 * ({@code _changepipe/offsets}), moved by one MERGE, one commit.
 */
final class SparkChangeFeed {
    private final PipelineTables tables;
    private final FeedArchive archive;

    SparkChangeFeed(PipelineTables tables, FeedArchive archive) {
        this.tables = tables;
        this.archive = archive;
    }

    ChangeFeedBatch read(String consumer, int maxVersions) {
        String offsetName = Consumers.feed(consumer);
        return PipelineTables.failing("reading the change feed of " + tables.spec().tables().current(), () -> {
            long since = committed(offsetName);
            if (since >= DeltaTransactions.tableVersion(tables.session(), tables.at().current())) {
                return new ChangeFeedBatch(consumer, since, since, List.of());
            }
            String changes = archive.relation(since + 1);
            Row lastVersion = tables.rows("""
                    SELECT max(_commit_version) FROM (
                        SELECT DISTINCT _commit_version FROM %s ORDER BY _commit_version LIMIT ?)"""
                    .formatted(changes), maxVersions).get(0);
            long last = lastVersion.isNullAt(0) ? since : lastVersion.getLong(0);
            List<FeedChange> feed = new ArrayList<>();
            for (List<Object> row : tables.select("""
                    SELECT _commit_version, _change_type, %s FROM %s
                    WHERE _commit_version <= ?
                    ORDER BY _commit_version, %s, CASE _change_type WHEN 'update_preimage' THEN 0 ELSE 1 END"""
                    .formatted(tables.text("target_columns"), changes, tables.text("keys")), List.of(last)).rows()) {
                feed.add(FeedChange.of(tables.spec().targetColumns(), row));
            }
            return new ChangeFeedBatch(consumer, since, last, feed);
        });
    }

    void commit(String consumer, long version) {
        String offsetName = Consumers.feed(consumer);
        long latest = DeltaTransactions.tableVersion(tables.session(), tables.at().current());
        if (version > latest) {
            throw ChangepipeException.user("cannot commit version " + version + " for consumer " + consumer
                    + ": the change feed ends at version " + latest);
        }
        // The condition keeps an offset from moving backwards.
        PipelineTables.failing("committing the offset of " + consumer, () -> tables.write("""
                MERGE INTO %s o
                USING (SELECT ? AS pipeline, ? AS consumer, ? AS committed, current_timestamp() AS committed_at) n
                ON o.pipeline = n.pipeline AND o.consumer = n.consumer
                WHEN MATCHED AND n.committed > o.committed THEN UPDATE SET *
                WHEN NOT MATCHED THEN INSERT *""".formatted(tables.text("offsets")),
                tables.pipeline(), offsetName, version));
    }

    /** The committed offsets of the pipeline's feed consumers, under their offset names ({@code feed:<consumer>}). */
    List<Offset> offsets() {
        List<Offset> offsets = new ArrayList<>();
        for (Row row : tables.rows("SELECT consumer, committed, committed_at FROM " + tables.text("offsets")
                + " WHERE pipeline = ?", tables.pipeline())) {
            offsets.add(new Offset(row.getString(0), row.getLong(1), (Instant) row.get(2)));
        }
        return offsets;
    }

    private long committed(String offsetName) {
        Row committed = tables.rows("SELECT max(committed) FROM " + tables.text("offsets")
                + " WHERE pipeline = ? AND consumer = ?", tables.pipeline(), offsetName).get(0);
        return committed.isNullAt(0) ? 0 : committed.getLong(0);
    }
}
