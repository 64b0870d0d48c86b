package dev.changepipe.conformance;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import java.util.ArrayList;
import java.util.List;

/**
 * The file ledger as {@code changepipe status} shows it: the section whose title starts with
 * {@code Load history}, with columns {@code file_id, name, status, rows_loaded, rows_rejected,
 * first_error}, the latest files first (at most 20 of them). Read through {@link Engine#status()}
 * so that the suites need no engine's table names.
 */
final class LoadHistory {
    private LoadHistory() {}

    /** One ledger entry: how one landed file (or one version of it) ended. */
    record Entry(long fileId, String name, String status, long rowsLoaded, long rowsRejected, String firstError) {}

    /** The latest entries, oldest first. */
    static List<Entry> of(Engine engine) {
        StatusSection section = engine.status().stream()
                .filter(s -> s.title().startsWith("Load history"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the engine's status has no section titled 'Load history …'"));
        QueryResult result = section.rows();
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

    /** The latest entries of files named {@code name}, oldest first. */
    static List<Entry> of(Engine engine, String name) {
        return of(engine).stream().filter(e -> e.name().equals(name)).toList();
    }

    private static int indexOf(QueryResult result, String column) {
        int i = result.columns().indexOf(column);
        if (i < 0) {
            throw new AssertionError("the load history has no column " + column + "; it has " + result.columns());
        }
        return i;
    }
}
