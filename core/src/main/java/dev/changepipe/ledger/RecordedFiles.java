package dev.changepipe.ledger;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the file ledger through {@link Engine#query}: every engine keeps it as {@code changepipe.files}
 * with the same columns, so one plain statement serves them all.
 */
public final class RecordedFiles {
    // substr rather than LIKE: a prefix may hold '_' and '%', and engines differ in LIKE's escape character.
    private static final String UNDER = """
            SELECT path, etag, size FROM changepipe.files
            WHERE pipeline = ? AND status <> 'vanished' AND etag IS NOT NULL AND substr(path, 1, ?) = ?""";

    private RecordedFiles() {}

    /** The files of {@code pipeline} whose location starts with {@code locationPrefix}. */
    public static List<RecordedFile> under(Engine engine, String pipeline, String locationPrefix) {
        QueryResult rows = engine.query(UNDER, List.of(pipeline, locationPrefix.length(), locationPrefix));
        List<RecordedFile> files = new ArrayList<>(rows.rows().size());
        for (List<Object> row : rows.rows()) {
            files.add(new RecordedFile((String) row.get(0), (String) row.get(1), ((Number) row.get(2)).longValue()));
        }
        return files;
    }
}
