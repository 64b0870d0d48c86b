package dev.changepipe.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import dev.changepipe.sql.SparkDialect;
import dev.changepipe.spec.Identifier;
import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The current table's change feed from before its latest change of a type: widened (rule 1.9), or given to a column
 * files added (rule 1.11). Delta's change data feed cannot be read across a type change, so before the current table's
 * types change every feed row so far is copied, with the new types, into a Delta table of its own under
 * {@code _changepipe/}; the feed is then that copy up to the change and the table's change data feed from it on, one
 * relation for the {@code <current>_changes} view and every feed consumer. A widening changes the schema in a commit of
 * its own ({@code CHANGE COLUMN}), from which the change data feed is read; a type given rewrites the table, whose
 * commit ({@code WRITE} in mode {@code Overwrite}, which nothing else does to the current table) the feed leaves out,
 * since it changes no value. A pipeline whose types never changed has no copy and reads the change data feed alone.
 */
final class FeedArchive {
    private static final String META = "_commit_version, _commit_timestamp, _change_type";

    private final PipelineTables tables;
    private final String location;
    /** The version from which the change data feed is read: from the latest change of a type on, or 0. */
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
        liveFrom = exists ? feedStart() : 0;
        copied = exists ? columnsOfCopy() : List.of();
    }

    private List<String> columnsOfCopy() {
        return Arrays.stream(tables.schemaOf(location).fieldNames()).map(Identifier::fold).toList();
    }

    /** The copy's column for each target column: a column files added after the copy was made (rule 1.10) is NULL there. */
    private String copiedColumns(List<String> copied) {
        return tables.spec().targetColumns().stream()
                .map(c -> copied.contains(Identifier.fold(c)) ? tables.dialect().quote(c)
                        : "CAST(NULL AS " + tables.dialect().typeName(tables.spec().typeOf(c)) + ") AS " + tables.dialect().quote(c))
                .collect(Collectors.joining(", "));
    }

    /**
     * The first version the change data feed is read from: that of the current table's latest {@code CHANGE COLUMN}
     * commit, or the one after its latest rewrite, whichever is later; 0 when it has neither.
     */
    private long feedStart() {
        Row last = DeltaTable.forPath(tables.session(), tables.at().current()).history()
                .filter(col("operation").equalTo("CHANGE COLUMN")
                        .or(col("operation").equalTo("WRITE").and(col("operationParameters").getItem("mode").equalTo("Overwrite"))))
                .agg(max(when(col("operation").equalTo("WRITE"), col("version").plus(1)).otherwise(col("version")))).first();
        return last.isNullAt(0) ? 0 : last.getLong(0);
    }

    /**
     * Copies the feed so far, cast to the spec's (wider) types, before the current table's columns are widened. Its
     * type widening must be enabled before: that commit changes no schema, so the feed still reads up to it. Run again
     * after a crash before the widening, it writes the same copy; one overwrite, so it is whole or not written.
     */
    void copyBeforeWidening() {
        copyBeforeSchemaChange(Map.of());
    }

    /**
     * Copies the feed so far before the current table's types change: each target column cast to the spec's type, but
     * for those {@code values} gives an expression of (a lookup of a text's value, rule 1.11).
     */
    void copyBeforeSchemaChange(Map<String, String> values) {
        long from = feedStart();
        long latest = DeltaTransactions.tableVersion(tables.session(), tables.at().current());
        String columns = tables.spec().targetColumns().stream()
                .map(c -> values.getOrDefault(c, "CAST(" + tables.dialect().quote(c) + " AS "
                        + tables.dialect().typeName(tables.spec().typeOf(c)) + ")") + " AS " + tables.dialect().quote(c))
                .collect(Collectors.joining(", "));
        String live = "SELECT " + META + ", " + columns + " FROM table_changes_by_path(" + tables.text("current_location")
                + ", " + from + ", " + latest + ")";
        String copy = live;
        if (DeltaTable.isDeltaTable(tables.session(), location)) {
            String copied = "SELECT " + META + ", " + columns + " FROM (SELECT " + META + ", "
                    + copiedColumns(columnsOfCopy()) + " FROM " + SparkDialect.deltaTable(location)
                    + " WHERE _commit_version < " + from + ")";
            // A rewrite as the table's latest commit leaves no version of the change data feed to read.
            copy = from > latest ? copied : copied + " UNION ALL " + live;
        }
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
