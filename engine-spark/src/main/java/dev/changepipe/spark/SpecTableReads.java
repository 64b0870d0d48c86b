package dev.changepipe.spark;

import dev.changepipe.engine.StoredReject;
import dev.changepipe.engine.TableCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/** The typed reads of the spec's own tables that the status shows: their row counts and the latest rejects. */
final class SpecTableReads {
    private final PipelineTables tables;

    SpecTableReads(PipelineTables tables) {
        this.tables = tables;
    }

    /** The rows of each table as committed; the change feed's are its Change Data Feed rows since the table was made. */
    TableCounts rowCounts() {
        Row counts = tables.rows("""
                SELECT (SELECT count(*) FROM %s), (SELECT count(*) FROM %s), (SELECT count(*) FROM %s),
                       (SELECT count(*) FROM table_changes_by_path(%s, 0)), (SELECT count(*) FROM %s)"""
                .formatted(tables.text("raw"), tables.text("rejects"), tables.text("current"),
                        tables.text("current_location"), tables.text("history"))).get(0);
        return new TableCounts(counts.getLong(0), counts.getLong(1), counts.getLong(2), counts.getLong(3),
                counts.getLong(4));
    }

    /** The latest {@code limit} rejects, newest file id first and, within a file, its last line first. */
    List<StoredReject> rejects(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<StoredReject> rejects = new ArrayList<>();
        for (Row row : tables.rows("""
                SELECT _file_id, _file, _line, column_name, reason, raw_text FROM %s
                ORDER BY _file_id DESC, _line DESC NULLS LAST LIMIT ?""".formatted(tables.text("rejects")), limit)) {
            rejects.add(new StoredReject(row.getLong(0), row.getString(1), row.isNullAt(2) ? null : row.getLong(2),
                    row.getString(3), row.getString(4), row.getString(5)));
        }
        return rejects;
    }
}
