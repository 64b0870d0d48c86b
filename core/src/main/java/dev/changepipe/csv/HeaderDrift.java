package dev.changepipe.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a loaded file's header differed from the spec's columns (docs/semantics.md §1.8), kept with its ledger entry
 * (the {@code header_drift} column) so that the ledger and the status say which files brought which columns.
 *
 * @param newColumns the header's columns the spec does not declare, in header order: their values were rescued
 * @param missingColumns the spec's columns the header lacks, in spec order: they were loaded as NULL
 */
public record HeaderDrift(List<String> newColumns, List<String> missingColumns) {

    public static final HeaderDrift NONE = new HeaderDrift(List.of(), List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    public HeaderDrift {
        newColumns = List.copyOf(newColumns);
        missingColumns = List.copyOf(missingColumns);
    }

    public boolean isEmpty() {
        return newColumns.isEmpty() && missingColumns.isEmpty();
    }

    /** The stored form, such as {@code {"new":["phone"],"missing":["street"]}}, each list only when non-empty; null for none. */
    public String toJson() {
        if (isEmpty()) {
            return null;
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        if (!newColumns.isEmpty()) {
            lists.put("new", newColumns);
        }
        if (!missingColumns.isEmpty()) {
            lists.put("missing", missingColumns);
        }
        try {
            return JSON.writeValueAsString(lists);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the stored form back; null (no drift, or an entry written before drift was kept) is {@link #NONE}. */
    public static HeaderDrift fromJson(String json) {
        if (json == null) {
            return NONE;
        }
        try {
            JsonNode node = JSON.readTree(json);
            return new HeaderDrift(names(node.get("new")), names(node.get("missing")));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a header_drift value: " + json, e);
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        if (list != null) {
            list.forEach(name -> names.add(name.asText()));
        }
        return names;
    }

    /** A one-line summary for a table of files, e.g. {@code new phone; missing street}; empty for none. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (!newColumns.isEmpty()) {
            parts.add("new " + String.join(", ", newColumns));
        }
        if (!missingColumns.isEmpty()) {
            parts.add("missing " + String.join(", ", missingColumns));
        }
        return String.join("; ", parts);
    }
}
