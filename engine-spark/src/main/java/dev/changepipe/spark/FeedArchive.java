package dev.changepipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.changepipe.sql.SparkDialect;
import dev.changepipe.spec.Identifier;
import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The current table's change feed from before its latest type widening (rule 1.9). Delta's change data feed cannot be
 * read across a type change, so before the current table is widened every feed row so far is copied, cast to the wider
 * types, into a Delta table of its own under {@code _changepipe/}; the feed is then that copy up to the widening and the
 * table's change data feed from it on, one relation for the {@code <current>_changes} view and every feed consumer.
 * A pipeline never widened has no copy and reads the change data feed alone, as before.
 */
final class FeedArchive {
    private static final String META = "_commit_version, _commit_timestamp, _change_type";

    private final PipelineTables tables;
    private final String location;
    /** The version from which the change data feed is read: the latest widening's, or 0. */
    private long liveFrom;
    /** The copy's columns, folded, as {@link #open} found them: a feed read asks Delta for no schema. */
    private List<String> copied = List.of();

    FeedArchive(PipelineTables tables) {
        this.tables = tables;
        this.location = tables.at().root() + "/" + SparkSchema.BOOKKEEPING + "/" + tables.spec().tables().current()
                + "_feed_archive";
    }

    /** Reads where the change data feed begins: once, at start, after any widening. */
    void open() {
        boolean exists = DeltaTable.isDeltaTable(tables.session(), location);
        liveFrom = exists ? lastWidening() : 0;
        copied = exists ? columnsOfCopy() : List.of();
    }

    private List<String> columnsOfCopy() {
        return Arrays.stream(tables.schemaOf(location).fieldNames()).map(Identifier::fold).toList();
    }

    /** The copy's column for each target column: a column files added after the copy was made (rule 1.10) is NULL there. */
    private String copiedColumns(List<String> copied) {
        return tables.spec().targetColumns().stream()
                .map(c -> copied.contains(Identifier.fold(c)) ? tables.dialect().quote(c)
                        : "CAST(NULL AS STRING) AS " + tables.dialect().quote(c))
                .collect(Collectors.joining(", "));
    }

    /** The version of the current table's latest {@code CHANGE COLUMN} commit, or 0 when it has none. */
    private long lastWidening() {
        Row last = DeltaTable.forPath(tables.session(), tables.at().current()).history()
                .filter(col("operation").equalTo("CHANGE COLUMN")).agg(max("version")).first();
        return last.isNullAt(0) ? 0 : last.getLong(0);
    }

    /**
     * Copies the feed so far, cast to the spec's (wider) types, before the current table's columns are changed. Its
     * type widening must be enabled before: that commit changes no schema, so the feed still reads up to it. Run again
     * after a crash before the widening, it writes the same copy; one overwrite, so it is whole or not written.
     */
    void copyBeforeWidening() {
        long from = lastWidening();
        long latest = DeltaTransactions.tableVersion(tables.session(), tables.at().current());
        String columns = tables.spec().targetColumns().stream()
                .map(c -> "CAST(" + tables.dialect().quote(c) + " AS " + tables.dialect().typeName(tables.spec().typeOf(c))
                        + ") AS " + tables.dialect().quote(c))
                .collect(Collectors.joining(", "));
        String live = "SELECT " + META + ", " + columns + " FROM table_changes_by_path(" + tables.text("current_location")
                + ", " + from + ", " + latest + ")";
        String copy = DeltaTable.isDeltaTable(tables.session(), location)
                ? "SELECT " + META + ", " + columns + " FROM (SELECT " + META + ", " + copiedColumns(columnsOfCopy()) + " FROM "
                        + SparkDialect.deltaTable(location) + " WHERE _commit_version < " + from + ") UNION ALL " + live
                : live;
        tables.overwrite(location, copy);
    }

    /**
     * The feed's rows from version {@code from} on, as a relation with the commit columns and the target columns: the
     * change data feed, and before the latest widening the copy.
     */
    String relation(long from) {
        String live = "table_changes_by_path(" + tables.text("current_location") + ", " + Math.max(from, liveFrom) + ")";
        if (from >= liveFrom) {
            return live;
        }
        return "(SELECT " + META + ", " + copiedColumns(copied) + " FROM " + SparkDialect.deltaTable(location)
                + " WHERE _commit_version >= " + from + " UNION ALL SELECT " + META + ", " + tables.text("target_columns")
                + " FROM " + live + ")";
    }

    /** Whether the feed has a copy, so that the {@code <current>_changes} view must read it too. */
    boolean copied() {
        return liveFrom > 0;
    }
}
