package dev.changepipe.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.changepipe.cli.dashboard.Dashboard;
import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.QualityCheck;
import dev.changepipe.spec.TableNames;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves {@code query}, {@code status}, {@code files} and the change feed for a running pipeline on a loopback port, so that they
 * work while the pipeline holds the warehouse. Every request must carry the token from the
 * endpoint file, which only the warehouse's owner can read. The same server carries the {@link Dashboard} and
 * {@code /metrics}.
 */
public final class QueryEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private final HttpServer server;
    private final Path warehouse;
    private final Engine engine;
    private final TableNames tables;
    private final List<QualityCheck> checks;
    private final String token;
    private Dashboard dashboard;

    private QueryEndpoint(HttpServer server, Path warehouse, Engine engine, TableNames tables, List<QualityCheck> checks,
            String token) {
        this.server = server;
        this.warehouse = warehouse;
        this.engine = engine;
        this.tables = tables;
        this.checks = List.copyOf(checks);
        this.token = token;
    }

    /**
     * Starts the endpoint and the dashboard of a prepared engine.
     *
     * @param warehouse the folder of the endpoint file and the metrics token ({@link Warehouse#endpointFolder})
     * @param live the pipeline's events, which the runner must be given as (part of) its listener
     */
    public static QueryEndpoint start(Path warehouse, Engine engine, PipelineSpec spec, LivePipeline live) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            QueryEndpoint endpoint = new QueryEndpoint(server, warehouse, engine, spec.tables(), spec.checks(), token);
            server.createContext("/query", endpoint::handleQuery);
            server.createContext("/status", endpoint::handleStatus);
            server.createContext("/files", endpoint::handleFiles);
            server.createContext("/feed", endpoint::handleFeed);
            server.createContext("/feed/commit", endpoint::handleFeedCommit);
            server.createContext("/dashboard/link", endpoint::handleDashboardLink);
            endpoint.dashboard = Dashboard.mount(server, spec, engine, live, token, warehouse);
            // Threads as needed: an open dashboard page holds one for its event stream (a few at most, see EventStream).
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "query-endpoint");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            new EndpointFile(server.getAddress().getPort(), token, ProcessHandle.current().pid(), Instant.now()).write(warehouse);
            return endpoint;
        } catch (IOException e) {
            throw ChangepipeException.external("cannot start the query endpoint on loopback: " + e.getMessage(), e);
        }
    }

    /** A new one-time login link to the dashboard (it never carries the token). */
    public String dashboardLink() {
        return dashboard.newLoginLink();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handleQuery(HttpExchange exchange) throws IOException {
        respond(exchange, () -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            List<Object> parameters = new ArrayList<>();
            request.path("parameters").forEach(p -> parameters.add(JSON.convertValue(p, Object.class)));
            String sql = request.path("sql").asText();
            // With as_of, the current table's name means the table as of that sequence time (rule 3.5).
            return resultJson(request.hasNonNull("as_of")
                    ? engine.queryAsOf(sql, parameters, request.get("as_of").asText())
                    : engine.query(sql, parameters));
        });
    }

    private void handleStatus(HttpExchange exchange) throws IOException {
        respond(exchange, () -> {
            List<Map<String, Object>> sections = new ArrayList<>();
            for (StatusSection section : StatusView.of(engine, tables, checks)) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("title", section.title());
                s.put("rows", resultJson(section.rows()));
                sections.add(s);
            }
            return sections;
        });
    }

    private void handleFiles(HttpExchange exchange) throws IOException {
        respond(exchange, () -> resultJson(LedgerTable.of(engine.ledger(LedgerTable.fromJson(
                JSON.readTree(exchange.getRequestBody()))))));
    }

    private void handleFeed(HttpExchange exchange) throws IOException {
        respond(exchange, () -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            return FeedJson.toJson(engine.readChangeFeed(request.path("consumer").asText(),
                    request.path("max_versions").asInt(100)));
        });
    }

    private void handleFeedCommit(HttpExchange exchange) throws IOException {
        respond(exchange, () -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            engine.commitFeedOffset(request.path("consumer").asText(), request.path("version").asLong());
            return Map.of("committed", request.path("version").asLong());
        });
    }

    private void handleDashboardLink(HttpExchange exchange) throws IOException {
        respond(exchange, () -> Map.of("link", dashboard.newLoginLink()));
    }

    private static Map<String, Object> resultJson(QueryResult result) {
        QueryResult portable = ResultFormat.portable(result);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", portable.columns());
        body.put("rows", portable.rows());
        return body;
    }

    private interface Handler {
        Object handle() throws IOException;
    }

    private void respond(HttpExchange exchange, Handler handler) throws IOException {
        int status = 200;
        Object body;
        String presented = exchange.getRequestHeaders().getFirst("Authorization");
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
            status = 401;
            body = Map.of("error", "missing or wrong token");
        } else {
            try {
                body = handler.handle();
            } catch (ChangepipeException e) {
                status = e.category() == ErrorCategory.USER_ERROR ? 400 : 500;
                body = Map.of("error", String.valueOf(e.getMessage()));
            } catch (RuntimeException e) {
                status = 500;
                body = Map.of("error", String.valueOf(e.getMessage()));
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        EndpointFile.delete(warehouse);
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
