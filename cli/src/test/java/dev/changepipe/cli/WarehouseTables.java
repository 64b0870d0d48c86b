package dev.changepipe.cli;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.SpecLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tables of the customer pipeline's warehouse as CSV lines (header first): the spec's tables read with the
 * in-process {@code changepipe query --format csv}, the bookkeeping (ledger, offsets, task history) through the
 * warehouse's typed reads, once no pipeline process holds the warehouse.
 */
final class WarehouseTables {
    /** Which tables to read: SQL for the spec's tables, and the ledger's columns to leave out. */
    record Reading(Map<String, String> tables, Set<String> ledgerLeftOut) {
        /** The same reading with more of the ledger's columns left out. */
        Reading leavingOutOfLedger(String... columns) {
            Set<String> leftOut = new LinkedHashSet<>(ledgerLeftOut);
            leftOut.addAll(List.of(columns));
            return new Reading(tables, leftOut);
        }
    }

    /**
     * What must be identical after crashes and restarts: everything but the ingestion and commit timestamps, which
     * come from the wall clock, and the ledger's absolute path, which names the run's own folder.
     */
    static final Reading COMPARED = new Reading(compared(), Set.of("ingested_at", "path"));

    private static Map<String, String> compared() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("customer", "SELECT * FROM customer ORDER BY customer_id");
        queries.put("customer_history", "SELECT * FROM customer_history ORDER BY customer_id, start_time");
        queries.put("customer_raw", "SELECT * EXCLUDE (_ingested_at) FROM customer_raw ORDER BY _file_id, _line");
        queries.put("customer_raw_rejects", """
                SELECT * EXCLUDE (_ingested_at) FROM customer_raw_rejects
                ORDER BY _file_id, _line, column_name, reason, raw_text""");
        // The change feed's versions follow how files were batched into runs of the current task, and a crash changes
        // that batching (a run that dies after loading its files leaves them to the next run, with newer ones),
        // so its rows differ legitimately: a key inserted and updated in one batch is one insert, across two batches an
        // insert, a pre-image and a post-image. What may not differ is what replaying the feed in version order
        // leaves (rule 4.2): per key, the last change of the last version, kept when it is not a delete.
        queries.put("customer_changes replayed", """
                SELECT * EXCLUDE (_commit_version, _commit_timestamp, _change_type, _last)
                FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY _commit_version DESC,
                          CASE _change_type WHEN 'update_preimage' THEN 1 ELSE 0 END) AS _last
                      FROM customer_changes)
                WHERE _last = 1 AND _change_type IN ('insert', 'update_postimage')
                ORDER BY customer_id""");
        return Collections.unmodifiableMap(queries);
    }

    private WarehouseTables() {}

    /** Reads the warehouse of {@code spec}: the lines of each table, by name. */
    static Map<String, List<String>> read(Path spec, Reading reading) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        reading.tables().forEach((name, sql) -> tables.put(name, query(spec, sql)));
        try (Warehouse warehouse = Warehouse.open(SpecLoader.load(spec))) {
            tables.put("ledger", lines(without(warehouse.files(LedgerQuery.all()), reading.ledgerLeftOut())));
            QueryResult offsets = section(warehouse.status(), StatusView.OFFSETS);
            tables.put("offsets", lines(without(offsets, Set.of("files_behind", "committed_at"))));
        }
        return tables;
    }

    /** One column of every ledger entry, oldest first, as text. */
    static List<String> ledgerColumn(Path spec, String column) {
        try (Warehouse warehouse = Warehouse.open(SpecLoader.load(spec))) {
            QueryResult ledger = warehouse.files(LedgerQuery.all());
            int index = ledger.columns().indexOf(column);
            return ledger.rows().stream().map(row -> String.valueOf(row.get(index))).toList();
        }
    }

    /** The entries of the warehouse's ledger in these statuses, through {@code changepipe files}. */
    static long files(Path spec, FileStatus... statuses) {
        Cli cli = Cli.run("files", "--spec", spec.toString(), "--format", "csv", "--limit", "1000000", "--status",
                String.join(",", Stream.of(statuses).map(FileStatus::word).toList()));
        if (cli.exitCode() != 0) {
            throw new AssertionError("files failed (exit " + cli.exitCode() + "): " + cli.err());
        }
        return cli.out().lines().count() - 1;
    }

    private static QueryResult section(List<StatusSection> status, String title) {
        return status.stream().filter(s -> s.title().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no status section " + title)).rows();
    }

    private static QueryResult without(QueryResult result, Set<String> columns) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < result.columns().size(); i++) {
            if (!columns.contains(result.columns().get(i))) {
                kept.add(i);
            }
        }
        return new QueryResult(kept.stream().map(result.columns()::get).toList(), result.rows().stream()
                .map(row -> kept.stream().map(row::get).toList()).toList());
    }

    private static List<String> lines(QueryResult result) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            ResultFormat.CSV.print(result, out);
        }
        return text.toString().lines().toList();
    }

    /** The CSV lines of one query, header first. */
    static List<String> query(Path spec, String sql) {
        Cli cli = Cli.run("query", "--spec", spec.toString(), "--format", "csv", sql);
        if (cli.exitCode() != 0) {
            throw new AssertionError("query failed (exit " + cli.exitCode() + "): " + sql + "\n" + cli.err());
        }
        return cli.out().lines().toList();
    }

    /** The single value a one-row, one-column query returns. */
    static long number(Path spec, String sql) {
        List<String> lines = query(spec, sql);
        if (lines.size() != 2) {
            throw new AssertionError("expected one row from " + sql + ", got " + lines);
        }
        return Long.parseLong(lines.get(1));
    }
}
