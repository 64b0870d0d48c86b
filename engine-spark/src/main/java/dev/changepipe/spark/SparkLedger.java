package dev.changepipe.spark;

import static org.apache.spark.sql.functions.col;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.Ledger;
import dev.changepipe.ledger.LedgerBatch;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerPosition;
import dev.changepipe.ledger.LedgerQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The pipeline's entries in the warehouse's file ledger ({@code _changepipe/files}): their reads, their
 * appends, and what the engine knows of them without asking Spark.
 *
 * <p>The engine is the only writer of its tables (the command line lets one process hold a warehouse), so
 * the ledger is read once and then kept up to date as entries are appended: its position, the rows each
 * file loaded (what a task's rows in count), and, while it holds at most {@link #IN_MEMORY} entries, the
 * entries themselves, so that a load's look-up of its names asks Spark nothing. The cache changes only
 * after an append commits, under this object's lock, so a reader on another thread sees committed entries.
 */
final class SparkLedger {
    /** Up to this many entries (a few hundred bytes each) are kept in memory. */
    static final long IN_MEMORY = 100_000;

    private final PipelineTables tables;
    private final long inMemory;
    private StructType schema;
    private long lastFileId;
    private Instant lastIngestedAt;
    /** Rows loaded per file id, for the files after {@link #rowsKnownAfter}; earlier ranges are asked of the table. */
    private final TreeMap<Long, Long> rowsLoaded = new TreeMap<>();
    private long rowsKnownAfter;
    /** Every entry by file id, and the same entries by name in file id order; both null for a longer ledger. */
    private NavigableMap<Long, LedgerEntry> byId;
    private Map<String, List<LedgerEntry>> byName;

    /** {@code inMemory}: the longest ledger kept in memory, {@link #IN_MEMORY} but in tests of the other path. */
    SparkLedger(PipelineTables tables, long inMemory) {
        this.tables = tables;
        this.inMemory = inMemory;
    }

    /** Reads the table's columns once its schema is created, adding one that a ledger made by an older version lacks. */
    void open() {
        String location = tables.at().files();
        schema = tables.schemaOf(location);
        if (!Arrays.asList(schema.fieldNames()).contains("etag")) {
            // A ledger made before it kept the ETag of an object from a bucket.
            tables.write("ALTER TABLE " + tables.text("files") + " ADD COLUMNS (etag STRING)");
            schema = tables.schemaOf(location);
        }
        if (!Arrays.asList(schema.fieldNames()).contains("check_failures")) {
            // A ledger made before quality checks: the rows of a file that failed each check, as JSON text.
            tables.write("ALTER TABLE " + tables.text("files") + " ADD COLUMNS (check_failures STRING)");
            schema = tables.schemaOf(location);
        }
        if (!Arrays.asList(schema.fieldNames()).contains("header_drift")) {
            // A ledger made before schema policies: the columns a file's header added or lacked, as JSON text.
            tables.write("ALTER TABLE " + tables.text("files") + " ADD COLUMNS (header_drift STRING)");
            schema = tables.schemaOf(location);
        }
    }

    /** Forgets what is known and reads it again from the table: at start, and after a load that may have failed to commit. */
    void reload() {
        Row state = tables.rows("SELECT coalesce(max(file_id), 0), max(ingested_at) FROM " + tables.text("files")
                + " WHERE pipeline = ?", tables.pipeline()).get(0);
        long last = state.getLong(0);
        Instant ingested = (Instant) state.get(1);
        // File ids count the pipeline's entries.
        List<LedgerEntry> all = last <= inMemory ? read(LedgerQuery.all()) : null;
        synchronized (this) {
            lastFileId = last;
            lastIngestedAt = ingested;
            rowsLoaded.clear();
            rowsKnownAfter = last;
            byId = null;
            byName = null;
            if (all != null) {
                byId = new TreeMap<>();
                byName = new HashMap<>();
                all.forEach(this::remember);
            }
        }
    }

    /** Starts an empty ledger for a pipeline whose tables were just created: there is nothing to read. */
    synchronized void startEmpty() {
        lastFileId = 0;
        lastIngestedAt = null;
        rowsLoaded.clear();
        rowsKnownAfter = 0;
        byId = new TreeMap<>();
        byName = new HashMap<>();
    }

    synchronized LedgerPosition position() {
        return new LedgerPosition(lastFileId, lastIngestedAt);
    }

    synchronized long lastFileId() {
        return lastFileId;
    }

    /** The entries {@code query} selects, in its order: from memory while the ledger is short, else one Spark query. */
    List<LedgerEntry> entries(LedgerQuery query) {
        if (query.limit() == 0 || query.afterFileId() >= query.beforeFileId()) {
            return List.of();
        }
        synchronized (this) {
            if (byId != null) {
                return fromMemory(query);
            }
        }
        return read(query);
    }

    private List<LedgerEntry> fromMemory(LedgerQuery query) {
        Collection<LedgerEntry> candidates;
        if (query.names().isEmpty()) {
            NavigableMap<Long, LedgerEntry> range = byId.subMap(query.afterFileId(), false, query.beforeFileId(), false);
            candidates = (query.newestFirst() ? range.descendingMap() : range).values();
        } else {
            List<LedgerEntry> named = new ArrayList<>();
            query.names().forEach(name -> named.addAll(byName.getOrDefault(name, List.of())));
            Comparator<LedgerEntry> order = Comparator.comparingLong(LedgerEntry::fileId);
            named.sort(query.newestFirst() ? order.reversed() : order);
            candidates = named;
        }
        List<LedgerEntry> selected = new ArrayList<>();
        for (LedgerEntry entry : candidates) {
            if (selected.size() == query.limit()) {
                break;
            }
            if (query.matches(entry)) {
                selected.add(entry);
            }
        }
        return selected;
    }

    /** The query as one read of the table; its values are bound as literals of the plan, never written into SQL text. */
    private List<LedgerEntry> read(LedgerQuery query) {
        return tables.whileActive(() -> readActive(query));
    }

    private List<LedgerEntry> readActive(LedgerQuery query) {
        Dataset<Row> rows = tables.table(tables.at().files()).filter(col("pipeline").equalTo(tables.pipeline()))
                .filter(col("file_id").gt(query.afterFileId()).and(col("file_id").lt(query.beforeFileId())));
        if (!query.names().isEmpty()) {
            rows = rows.filter(col("name").isin(query.names().toArray()));
        }
        if (query.locationPrefix() != null) {
            rows = rows.filter(col("path").startsWith(query.locationPrefix()));
        }
        if (!query.statuses().containsAll(EnumSet.allOf(FileStatus.class))) {
            rows = rows.filter(col("status").isin(query.statuses().stream().map(FileStatus::word).toArray()));
        }
        rows = rows.orderBy(query.newestFirst() ? col("file_id").desc() : col("file_id").asc());
        if (query.limit() < Integer.MAX_VALUE) {
            rows = rows.limit(query.limit());
        }
        List<LedgerEntry> entries = new ArrayList<>();
        for (Row row : rows.collectAsList()) {
            entries.add(new LedgerEntry(row.getAs("file_id"), row.getAs("name"), row.getAs("path"), row.getAs("size"),
                    row.getAs("content_hash"), row.getAs("last_modified"), FileStatus.of(row.getAs("status")),
                    row.getAs("rows_loaded"), row.getAs("rows_rejected"), row.getAs("first_error"),
                    row.getAs("ingested_at"), row.<Integer>getAs("version"), row.getAs("original_file_id"),
                    row.getAs("etag"), CheckCounts.fromJson(row.getAs("check_failures")),
                    HeaderDrift.fromJson(row.getAs("header_drift"))));
        }
        return entries;
    }

    /** Appends a load's entries, in file id order: on Spark the commit point of the load. */
    void append(List<LedgerBatch.Entry> entries) {
        List<Row> rows = new ArrayList<>(entries.size());
        for (LedgerBatch.Entry e : entries) {
            LandedFile f = e.file();
            rows.add(RowFactory.create(tables.pipeline(), e.fileId(), f.name(), f.location(), f.size(), f.contentHash(),
                    Ledger.micros(f.lastModified()), e.status().word(), e.loaded(), e.rejected(), e.firstError(),
                    e.ingestedAt(), e.version(), e.originalFileId(), f.etag(), e.checks().toJson(), e.drift().toJson()));
        }
        tables.append(tables.at().files(), rows, schema);
        synchronized (this) {
            for (LedgerBatch.Entry e : entries) {
                LandedFile f = e.file();
                rowsLoaded.put(e.fileId(), e.loaded());
                lastFileId = e.fileId();
                lastIngestedAt = e.ingestedAt();
                if (byId != null) {
                    remember(new LedgerEntry(e.fileId(), f.name(), f.location(), f.size(), f.contentHash(),
                            Ledger.micros(f.lastModified()), e.status(), e.loaded(), e.rejected(), e.firstError(),
                            e.ingestedAt(), e.version(), e.originalFileId(), f.etag(), e.checks(), e.drift()));
                }
            }
            if (byId != null && lastFileId > inMemory) {
                byId = null;
                byName = null;
            }
        }
    }

    private void remember(LedgerEntry entry) {
        byId.put(entry.fileId(), entry);
        byName.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry);
    }

    /** The raw rows that the files with ids in (from, to] loaded. */
    long rowsLoaded(long from, long to) {
        long known;
        long askFrom;
        long askTo;
        synchronized (this) {
            known = 0;
            for (long loaded : rowsLoaded.subMap(Math.max(from, rowsKnownAfter), false, Math.max(to, rowsKnownAfter), true)
                    .values()) {
                known += loaded;
            }
            askFrom = from;
            askTo = Math.min(to, rowsKnownAfter);
        }
        if (askFrom >= askTo) {
            return known;
        }
        Row sum = tables.rows("SELECT coalesce(sum(rows_loaded), 0) FROM " + tables.text("files")
                + " WHERE pipeline = ? AND file_id > ? AND file_id <= ?", tables.pipeline(), askFrom, askTo).get(0);
        return known + sum.getLong(0);
    }
}
