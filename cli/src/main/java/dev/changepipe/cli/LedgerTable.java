package dev.changepipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The file ledger as {@code changepipe files} prints it and the query endpoint carries it: rows, and the query as JSON. */
final class LedgerTable {
    static final List<String> COLUMNS = List.of("file_id", "name", "path", "size", "content_hash", "last_modified",
            "status", "rows_loaded", "rows_rejected", "first_error", "ingested_at", "version", "original_file_id", "etag",
            "check_failures", "header_drift");

    private LedgerTable() {}

    static QueryResult of(List<LedgerEntry> entries) {
        List<List<Object>> rows = new ArrayList<>(entries.size());
        for (LedgerEntry e : entries) {
            rows.add(Arrays.asList(e.fileId(), e.name(), e.location(), e.size(), e.contentHash(), utc(e.lastModified()),
                    e.status().word(), e.rowsLoaded(), e.rowsRejected(), e.firstError(), utc(e.ingestedAt()),
                    (long) e.version(), e.originalFileId(), e.etag(), e.checks().toJson(), e.drift().toJson()));
        }
        return new QueryResult(COLUMNS, rows);
    }

    private static Object utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Map<String, Object> toJson(LedgerQuery query) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("names", query.names());
        json.put("under", query.locationPrefix());
        json.put("statuses", query.statuses().stream().map(FileStatus::word).sorted().toList());
        json.put("after", query.afterFileId());
        json.put("before", query.beforeFileId());
        json.put("limit", query.limit());
        json.put("newest_first", query.newestFirst());
        return json;
    }

    static LedgerQuery fromJson(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.path("names").forEach(n -> names.add(n.asText()));
        Set<FileStatus> statuses = EnumSet.noneOf(FileStatus.class);
        json.path("statuses").forEach(s -> statuses.add(FileStatus.of(s.asText())));
        JsonNode under = json.path("under");
        return new LedgerQuery(names, under.isTextual() ? under.asText() : null, statuses, json.path("after").asLong(0),
                json.path("before").asLong(Long.MAX_VALUE), json.path("limit").asInt(Integer.MAX_VALUE),
                json.path("newest_first").asBoolean(false));
    }
}
