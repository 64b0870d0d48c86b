package dev.changepipe.crash;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.Offset;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import dev.changepipe.spec.TableNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A pipeline's warehouse opened in the test JVM, once no pipeline process holds it (DuckDB lets one process open a
 * file), and its tables read as lines of text: the spec's own tables with SQL that both engines take (columns
 * listed, no dialect's extensions), the bookkeeping through the engine's typed reads ({@link Engine#ledger},
 * {@link Engine#offsets}, {@link Engine#taskHistory}). A value is rendered as its {@code toString}, quoted, so two
 * readings of one engine compare exactly; a row is its values joined by commas, the first line the column names.
 */
final class WarehouseTables implements AutoCloseable {
    private final Engine engine;
    private final TableNames tables;

    private WarehouseTables(Engine engine, TableNames tables) {
        this.engine = engine;
        this.tables = tables;
    }

    /** Opens the warehouse of the spec in {@code specFile}; close it before a pipeline child starts. */
    static WarehouseTables open(Path specFile) {
        PipelineSpec spec = SpecLoader.load(specFile);
        Engine engine = Engines.open(spec);
        try {
            engine.prepare();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new WarehouseTables(engine, spec.tables());
    }

    /**
     * What must be identical after crashes and restarts: everything but the ingestion and commit timestamps, which
     * come from the wall clock, the ledger's location, which names the run's own folder, and the change feed's own
     * rows (see below).
     */
    Map<String, List<String>> compared() {
        Map<String, List<String>> read = new LinkedHashMap<>();
        read.put(tables.current(), query("SELECT * FROM " + tables.current() + " ORDER BY customer_id"));
        read.put(tables.history(), query("SELECT * FROM " + tables.history() + " ORDER BY customer_id, start_time"));
        read.put(tables.raw(), query("SELECT " + columnsBut(tables.raw(), "_ingested_at") + " FROM " + tables.raw()
                + " ORDER BY _file_id, _line"));
        read.put(tables.rejects(), query("SELECT " + columnsBut(tables.rejects(), "_ingested_at") + " FROM "
                + tables.rejects() + " ORDER BY _file_id, _line, column_name, reason, raw_text"));
        read.put("ledger", lines(List.of("fileId", "name", "size", "contentHash", "lastModified", "status",
                "rowsLoaded", "rowsRejected", "firstError", "version", "originalFileId", "etag"),
                engine.ledger(LedgerQuery.all()).stream().map(e -> Arrays.<Object>asList(e.fileId(), e.name(), e.size(),
                        e.contentHash(), e.lastModified(), e.status(), e.rowsLoaded(), e.rowsRejected(),
                        e.firstError(), e.version(), e.originalFileId(), e.etag()))));
        read.put("offsets", lines(List.of("consumer", "committed"), engine.offsets().stream()
                .sorted(Comparator.comparing(Offset::consumer))
                .map(o -> List.<Object>of(o.consumer(), o.committed()))));
        // The change feed's versions follow how files were batched into runs of the current task, and a crash changes
        // that batching (a run that dies after loading its files leaves them to the next run, with newer ones),
        // so its rows differ legitimately: a key inserted and updated in one batch is one insert, across two batches an
        // insert, a pre-image and a post-image. What may not differ is what replaying the feed in version order
        // leaves (rule 4.2): per key, the last change of the last version, kept when it is not a delete.
        String changes = tables.changes();
        String values = columnsBut(changes, "_commit_version", "_commit_timestamp", "_change_type");
        read.put(changes + " replayed", query("""
                SELECT %s FROM (
                    SELECT %s, _change_type, row_number() OVER (PARTITION BY customer_id ORDER BY _commit_version DESC,
                        CASE _change_type WHEN 'update_preimage' THEN 1 ELSE 0 END) AS _last
                    FROM %s) AS latest
                WHERE _last = 1 AND _change_type IN ('insert', 'update_postimage')
                ORDER BY customer_id""".formatted(values, values, changes)));
        return read;
    }

    /**
     * Every table with every column, for "a second run after completion changes nothing": that run finds no work,
     * so not even a timestamp may move, and no task run is recorded (rule 6.1).
     */
    Map<String, List<String>> everything() {
        Map<String, List<String>> read = new LinkedHashMap<>();
        read.put(tables.current(), query("SELECT * FROM " + tables.current() + " ORDER BY customer_id"));
        read.put(tables.history(), query("SELECT * FROM " + tables.history() + " ORDER BY customer_id, start_time"));
        read.put(tables.raw(), query("SELECT * FROM " + tables.raw() + " ORDER BY _file_id, _line"));
        read.put(tables.rejects(), query("SELECT * FROM " + tables.rejects()
                + " ORDER BY _file_id, _line, column_name, reason, raw_text"));
        read.put(tables.changes(), query("SELECT * FROM " + tables.changes() + " ORDER BY _commit_version, customer_id,"
                + " CASE _change_type WHEN 'update_preimage' THEN 0 ELSE 1 END"));
        read.put("ledger", lines(List.of("entry"), engine.ledger(LedgerQuery.all()).stream()
                .map(e -> List.<Object>of(e))));
        read.put("offsets", lines(List.of("offset"), engine.offsets().stream()
                .sorted(Comparator.comparing(Offset::consumer)).map(o -> List.<Object>of(o))));
        read.put("task history", lines(List.of("run"), engine.taskHistory(Integer.MAX_VALUE).stream()
                .map(r -> List.<Object>of(r))));
        return read;
    }

    /** The ledger's entries, oldest first. */
    List<LedgerEntry> ledger() {
        return engine.ledger(LedgerQuery.all());
    }

    /** The task history, newest first. */
    List<TaskRun> taskHistory() {
        return engine.taskHistory(Integer.MAX_VALUE);
    }

    /** The single value a one-row, one-column query returns. */
    long number(String sql) {
        QueryResult result = engine.query(sql, List.of());
        if (result.rows().size() != 1 || result.columns().size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + result);
        }
        return ((Number) result.rows().get(0).get(0)).longValue();
    }

    /** The lines of one query, header first. */
    List<String> query(String sql) {
        QueryResult result = engine.query(sql, List.of());
        return lines(result.columns(), result.rows().stream());
    }

    /** The columns of {@code table} but {@code left}, in table order, as a select list. */
    private String columnsBut(String table, String... left) {
        List<String> columns = new ArrayList<>(engine.query("SELECT * FROM " + table + " LIMIT 0", List.of()).columns());
        for (String column : left) {
            if (!columns.remove(column)) {
                throw new AssertionError(table + " has no column " + column + "; its columns: " + columns);
            }
        }
        return String.join(", ", columns);
    }

    private static List<String> lines(List<String> columns, Stream<? extends List<?>> rows) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", columns));
        rows.map(WarehouseTables::line).forEach(lines::add);
        return lines;
    }

    private static String line(List<?> values) {
        return values.stream().map(v -> v == null ? "NULL"
                : '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"').collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        engine.close();
    }
}
