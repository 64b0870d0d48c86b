package dev.changepipe.engine;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.QualityCheck;
import dev.changepipe.spec.TableNames;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code changepipe status} shows, built from an engine's bookkeeping the same way for every engine: row
 * counts, offsets, the latest files, rejects and task runs, as titled sections of rows.
 */
public final class StatusView {
    /** How many of the latest files, rejects and task runs a section shows. */
    public static final int LATEST = 20;
    public static final String TABLES = "Tables";
    public static final String OFFSETS = "Offsets";
    public static final String LOAD_HISTORY = "Load history (latest " + LATEST + ")";
    public static final String REJECTS = "Rejects (latest " + LATEST + ")";
    public static final String TASK_HISTORY = "Task history (latest " + LATEST + ")";
    public static final String CHECKS = "Checks";

    private StatusView() {}

    public static List<StatusSection> of(Engine engine, TableNames tables) {
        return of(engine, tables, List.of());
    }

    /** With {@code checks}, the spec's quality checks, listed in the checks section even before any row failed one. */
    public static List<StatusSection> of(Engine engine, TableNames tables, List<QualityCheck> checks) {
        List<StatusSection> sections = new ArrayList<>();
        TableCounts counts = engine.rowCounts();
        sections.add(new StatusSection(TABLES, new QueryResult(List.of("role", "table", "rows"), List.of(
                List.of("raw", tables.raw(), counts.raw()),
                List.of("rejects", tables.rejects(), counts.rejects()),
                List.of("current", tables.current(), counts.current()),
                List.of("change feed", tables.changes(), counts.changes()),
                List.of("history", tables.history(), counts.history())))));
        List<LedgerEntry> latest = engine.ledger(LedgerQuery.latest(LATEST));
        // From the ledger read, which other threads may make, not ledgerPosition(), which is the loading thread's.
        long lastFileId = latest.isEmpty() ? 0 : latest.get(0).fileId();
        List<List<Object>> offsets = new ArrayList<>();
        for (Offset offset : engine.offsets()) {
            // A feed consumer's offset counts commit versions, not files.
            boolean task = offset.consumer().equals(Consumers.CURRENT) || offset.consumer().equals(Consumers.HISTORY);
            offsets.add(Arrays.asList(offset.consumer(), offset.committed(),
                    task ? lastFileId - offset.committed() : null, utc(offset.committedAt())));
        }
        sections.add(new StatusSection(OFFSETS,
                new QueryResult(List.of("consumer", "committed", "files_behind", "committed_at"), offsets)));
        List<List<Object>> files = new ArrayList<>();
        for (LedgerEntry e : latest) {
            files.add(Arrays.asList(e.fileId(), e.name(), e.status().word(), e.rowsLoaded(), e.rowsRejected(),
                    e.firstError(), utc(e.ingestedAt()), e.checks().summary(), e.drift().summary()));
        }
        sections.add(new StatusSection(LOAD_HISTORY, new QueryResult(List.of("file_id", "name", "status",
                "rows_loaded", "rows_rejected", "first_error", "ingested_at", "checks", "header_drift"), files)));
        sections.add(new StatusSection(CHECKS, checkTotals(engine, checks)));
        List<List<Object>> rejects = new ArrayList<>();
        for (StoredReject r : engine.rejects(LATEST)) {
            rejects.add(Arrays.asList(r.file(), r.line(), r.column(), r.reason(), r.rawText()));
        }
        sections.add(new StatusSection(REJECTS,
                new QueryResult(List.of("file", "line", "column", "reason", "raw_text"), rejects)));
        List<List<Object>> runs = new ArrayList<>();
        for (TaskRun run : engine.taskHistory(LATEST)) {
            runs.add(Arrays.asList(run.task().label(), utc(run.started()), Duration.between(run.started(), run.ended()).toMillis(),
                    run.rowsIn(), run.rowsOut(), run.attempt(), run.status(), run.error(), run.checks().summary()));
        }
        sections.add(new StatusSection(TASK_HISTORY, new QueryResult(List.of("task", "started", "took_ms", "rows_in",
                "rows_out", "attempt", "status", "error", "checks"), runs)));
        return sections;
    }

    /**
     * Per check, over the whole ledger: rows loaded despite failing it, rows it dropped, files it refused. The spec's
     * checks come first, in spec order with their on_fail; a check the spec no longer has follows if it ever failed.
     */
    private static QueryResult checkTotals(Engine engine, List<QualityCheck> checks) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        Map<String, String> modes = new LinkedHashMap<>();
        for (QualityCheck check : checks) {
            totals.put(check.name(), new long[3]);
            modes.put(check.name(), check.onFail().word());
        }
        // The whole ledger: the totals are over every file, not the latest shown above.
        for (LedgerEntry entry : engine.ledger(LedgerQuery.all())) {
            for (CheckCounts.Count count : entry.checks().counts()) {
                long[] total = totals.computeIfAbsent(count.check(), n -> new long[3]);
                total[count.onFail().ordinal()] += count.rows();
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> total : totals.entrySet()) {
            long[] t = total.getValue();
            rows.add(Arrays.asList(total.getKey(), modes.get(total.getKey()), t[QualityCheck.OnFail.WARN.ordinal()],
                    t[QualityCheck.OnFail.DROP.ordinal()], t[QualityCheck.OnFail.REFUSE.ordinal()]));
        }
        return new QueryResult(List.of("check", "on_fail", "warned", "dropped", "files_refused"), rows);
    }

    private static Object utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
