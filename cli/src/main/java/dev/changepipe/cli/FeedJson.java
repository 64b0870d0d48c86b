package dev.changepipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.FeedChange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of a change feed batch on the query endpoint, and its portable values. */
final class FeedJson {
    private FeedJson() {}

    static ChangeFeedBatch portable(ChangeFeedBatch batch) {
        List<FeedChange> changes = new ArrayList<>();
        for (FeedChange change : batch.changes()) {
            Map<String, Object> values = new LinkedHashMap<>();
            change.values().forEach((k, v) -> values.put(k, ResultFormat.jsonValue(v)));
            changes.add(new FeedChange(change.commitVersion(), change.changeType(), values));
        }
        return new ChangeFeedBatch(batch.consumer(), batch.sinceVersion(), batch.lastVersion(), changes);
    }

    static Map<String, Object> toJson(ChangeFeedBatch batch) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consumer", batch.consumer());
        body.put("since_version", batch.sinceVersion());
        body.put("last_version", batch.lastVersion());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (FeedChange change : portable(batch).changes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("commit_version", change.commitVersion());
            c.put("change_type", change.changeType());
            c.put("values", change.values());
            changes.add(c);
        }
        body.put("changes", changes);
        return body;
    }

    static ChangeFeedBatch fromJson(JsonNode body, ObjectMapper json) {
        List<FeedChange> changes = new ArrayList<>();
        for (JsonNode c : body.path("changes")) {
            Map<String, Object> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = c.path("values").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                values.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
            }
            changes.add(new FeedChange(c.path("commit_version").asLong(), c.path("change_type").asText(), values));
        }
        return new ChangeFeedBatch(body.path("consumer").asText(), body.path("since_version").asLong(),
                body.path("last_version").asLong(), changes);
    }
}
