package dev.changepipe.conformance;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.ledger.LedgerQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The file ledger: as every engine's typed ledger read gives it, and as {@code changepipe status} shows it (the
 * section whose title starts with {@code Load history}: the latest 20 files).
 */
final class LoadHistory {
    private LoadHistory() {}

    /** One ledger entry: how one landed file (or one version of it) ended. */
    record Entry(long fileId, String name, String status, long rowsLoaded, long rowsRejected, String firstError) {}

    /** Every entry of the pipeline's ledger, oldest first. */
    static List<Entry> of(PipelineHarness pipeline) {
        return pipeline.engine().ledger(LedgerQuery.all()).stream()
                .map(e -> new Entry(e.fileId(), e.name(), e.status().word(), e.rowsLoaded(), e.rowsRejected(),
                        e.firstError()))
                .toList();
    }

    /** The entries of files named {@code name}, oldest first. */
    static List<Entry> of(PipelineHarness pipeline, String name) {
        return of(pipeline).stream().filter(e -> e.name().equals(name)).toList();
    }

    /** The latest entries as the pipeline's status shows them, oldest first. */
    static List<Entry> inStatus(PipelineHarness pipeline) {
        StatusSection section = StatusView.of(pipeline.engine(), pipeline.spec().tables()).stream()
                .filter(s -> s.title().startsWith("Load history"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the status has no section titled 'Load history …'"));
        return entries(section.rows());
    }
    private static List<Entry> entries(QueryResult result) {
        int fileId = indexOf(result, "file_id");
        int name = indexOf(result, "name");
        int status = indexOf(result, "status");
        int loaded = indexOf(result, "rows_loaded");
        int rejected = indexOf(result, "rows_rejected");
        int firstError = indexOf(result, "first_error");
        List<Entry> entries = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            entries.add(new Entry(((Number) row.get(fileId)).longValue(), (String) row.get(name), (String) row.get(status),
                    ((Number) row.get(loaded)).longValue(), ((Number) row.get(rejected)).longValue(),
                    (String) row.get(firstError)));
        }
        entries.sort((a, b) -> Long.compare(a.fileId(), b.fileId()));
        return entries;
    }

    private static int indexOf(QueryResult result, String column) {
        int i = result.columns().indexOf(column);
        if (i < 0) {
            throw new AssertionError("the load history has no column " + column + "; it has " + result.columns());
        }
        return i;
    }
}
