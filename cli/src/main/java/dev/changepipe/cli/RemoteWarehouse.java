package dev.changepipe.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.ledger.LedgerQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A warehouse reached through the query endpoint of the pipeline process that holds it. */
final class RemoteWarehouse implements Warehouse {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private final EndpointFile endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RemoteWarehouse(EndpointFile endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        JsonNode body = call("/query", Map.of("sql", sql, "parameters", parameters));
        return result(body);
    }

    @Override
    public QueryResult queryAsOf(String sql, List<Object> parameters, String asOf) {
        return result(call("/query", Map.of("sql", sql, "parameters", parameters, "as_of", asOf)));
    }

    @Override
    public List<StatusSection> status() {
        JsonNode body = call("/status", Map.of());
        List<StatusSection> sections = new ArrayList<>();
        for (JsonNode section : body) {
            sections.add(new StatusSection(section.get("title").asText(), result(section.get("rows"))));
        }
        return sections;
    }

    @Override
    public QueryResult files(LedgerQuery query) {
        return result(call("/files", LedgerTable.toJson(query)));
    }

    @Override
    public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
        return FeedJson.fromJson(call("/feed", Map.of("consumer", consumer, "max_versions", maxVersions)), JSON);
    }

    @Override
    public void commitFeedOffset(String consumer, long version) {
        call("/feed/commit", Map.of("consumer", consumer, "version", version));
    }

    /** A new one-time login link to the running pipeline's dashboard. */
    String dashboardLink() {
        return call("/dashboard/link", Map.of()).path("link").asText();
    }

    private static QueryResult result(JsonNode node) {
        List<String> columns = new ArrayList<>();
        node.get("columns").forEach(c -> columns.add(c.asText()));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : node.get("rows")) {
            List<Object> values = new ArrayList<>();
            row.forEach(v -> values.add(JSON.convertValue(v, Object.class)));
            rows.add(values);
        }
        return new QueryResult(columns, rows);
    }

    private JsonNode call(String path, Object request) {
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                    .header("Authorization", "Bearer " + endpoint.token())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                    .build();
            HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new ChangepipeException(
                        response.statusCode() == 400 ? ErrorCategory.USER_ERROR : ErrorCategory.EXTERNAL_ERROR,
                        body.path("error").asText("the pipeline's query endpoint answered " + response.statusCode()));
            }
            return body;
        } catch (IOException e) {
            throw ChangepipeException.external("cannot reach the running pipeline (process " + endpoint.pid()
                    + ") on 127.0.0.1:" + endpoint.port() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChangepipeException.external("interrupted", e);
        }
    }

    @Override
    public void close() {
        // Nothing held: each call is one HTTP request.
    }
}
