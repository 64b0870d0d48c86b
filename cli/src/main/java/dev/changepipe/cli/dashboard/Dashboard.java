package dev.changepipe.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard and {@code /metrics}, on the query endpoint's loopback server. The pages are plain HTML, CSS and
 * JavaScript from this jar (no CDN, no third-party code); they open with a snapshot of {@link LivePipeline} and follow
 * its server-sent events. Only a key's history, a file's rejects and the customer analysis query the engine, and only
 * the spec's own tables, when a page asks.
 */
public final class Dashboard {
    private static final String ASSETS = "/dev/changepipe/cli/dashboard/";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css");
    private static final int REJECTS_SHOWN = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineSpec spec;
    private final Engine engine;
    private final LivePipeline live;
    private final DashboardAccess access;
    private final String base;

    private Dashboard(PipelineSpec spec, Engine engine, LivePipeline live, DashboardAccess access, String base) {
        this.spec = spec;
        this.engine = engine;
        this.live = live;
        this.access = access;
        this.base = base;
    }

    /**
     * Adds the dashboard's paths to {@code server}.
     *
     * @param token the query endpoint's token, from which the session cookie is derived
     * @param tokenFolder where the stable {@link MetricsToken} is kept
     */
    public static Dashboard mount(HttpServer server, PipelineSpec spec, Engine engine, LivePipeline live, String token,
            Path tokenFolder) {
        int port = server.getAddress().getPort();
        DashboardAccess access = new DashboardAccess(token, MetricsToken.readOrCreate(tokenFolder), port);
        Dashboard dashboard = new Dashboard(spec, engine, live, access, "http://127.0.0.1:" + port);
        server.createContext("/", dashboard::page);
        server.createContext("/login", dashboard::login);
        server.createContext("/api/", dashboard::api);
        server.createContext("/metrics", dashboard::metrics);
        return dashboard;
    }

    /** A new link that opens the dashboard in one browser and gives it its session cookie; it works once. */
    public String newLoginLink() {
        return base + "/login?code=" + access.newLoginCode();
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!allowed(exchange)) {
                return;
            }
            String asset = PAGES.get(exchange.getRequestURI().getPath());
            if (asset == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "no such page".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = Dashboard.class.getResourceAsStream(ASSETS + asset)) {
                send(exchange, 200, contentType(asset), in.readAllBytes());
            }
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!access.fromLoopbackName(exchange)) {
                send(exchange, 403, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            String presented = parameters(exchange).getOrDefault("code", List.of("")).get(0);
            if (!access.redeem(presented)) {
                send(exchange, 401, "text/plain; charset=utf-8", ("unknown or used login link: changepipe dashboard"
                        + " prints a new one").getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().add("Set-Cookie", access.sessionCookie());
            // Away from the address with the token, so that it stays out of the page's address bar.
            exchange.getResponseHeaders().set("Location", "/");
            send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!access.fromLoopbackName(exchange) || !access.hasMetricsToken(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                    live.metrics().scrape().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!allowed(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/events")) {
                live.events().serve(exchange, () -> json(live.snapshot()));
                return;
            }
            Map<String, List<String>> parameters = parameters(exchange);
            int status = 200;
            Object body;
            try {
                body = switch (path) {
                    case "/api/snapshot" -> live.snapshot();
                    case "/api/rejects" -> rejects(Long.parseLong(parameters.getOrDefault("file", List.of("0")).get(0)));
                    case "/api/history" -> history(parameters.getOrDefault("key", List.of()));
                    case "/api/analysis" -> analysis();
                    default -> null;
                };
                if (body == null) {
                    status = 404;
                    body = Map.of("error", "no such path: " + path);
                }
            } catch (NumberFormatException e) {
                status = 400;
                body = Map.of("error", "file: not a file id");
            } catch (ChangepipeException e) {
                status = e.category() == ErrorCategory.USER_ERROR ? 400 : 500;
                body = Map.of("error", String.valueOf(e.getMessage()));
            } catch (RuntimeException e) {
                status = 500;
                body = Map.of("error", String.valueOf(e.getMessage()));
            }
            send(exchange, status, "application/json", json(body).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One file's ledger entry and its rejects (line, column, reason, text), from the spec's rejects table. */
    private Map<String, Object> rejects(long fileId) {
        List<LedgerEntry> entry = engine.ledger(LedgerQuery.all().after(fileId - 1).before(fileId + 1).first(1));
        if (entry.isEmpty()) {
            throw ChangepipeException.user("file: no file " + fileId + " in the ledger");
        }
        LedgerEntry e = entry.get(0);
        QueryResult rows = engine.query("SELECT _line AS line, column_name, reason, raw_text FROM "
                + Identifier.quote(spec.tables().rejects()) + " WHERE _file_id = ? ORDER BY _line LIMIT " + REJECTS_SHOWN,
                List.of(fileId));
        List<Map<String, Object>> rejects = new ArrayList<>();
        for (List<Object> row : rows.rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("line", JsonCell.of(row.get(0)));
            r.put("column", JsonCell.of(row.get(1)));
            r.put("reason", JsonCell.of(row.get(2)));
            r.put("text", JsonCell.of(row.get(3)));
            rejects.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", new LivePipeline.FileView(e.fileId(), e.name(), e.status().word(), e.rowsLoaded(), e.rowsRejected(),
                e.firstError(), e.ingestedAt() == null ? 0 : e.ingestedAt().toEpochMilli(), e.checks(), e.drift()));
        body.put("location", e.location());
        body.put("rejects", rejects);
        body.put("shown", Math.min(e.rowsRejected(), REJECTS_SHOWN));
        return body;
    }

    private Map<String, Object> history(List<String> key) {
        KeyHistory query = KeyHistory.of(spec, key);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", spec.keys());
        body.put("start", spec.historyColumns().start());
        body.put("end", spec.historyColumns().end());
        body.put("current", spec.historyColumns().current());
        // With history_deletes: row, the column that marks a delete's own version; null otherwise.
        body.put("deleted", spec.historyColumns().deleted().orElse(null));
        body.put("versions", KeyHistory.versions(spec, engine.query(query.sql(), query.parameters())));
        return body;
    }

    private Map<String, Object> analysis() {
        if (!CustomerAnalysis.appliesTo(spec)) {
            throw ChangepipeException.user("pipeline " + spec.name() + " has no state and country columns to analyse");
        }
        return CustomerAnalysis.of(spec, engine);
    }

    /** Everything but the login needs a loopback host name and the session cookie; without them, nothing is said. */
    private boolean allowed(HttpExchange exchange) throws IOException {
        if (!access.fromLoopbackName(exchange)) {
            send(exchange, 403, "text/plain; charset=utf-8", new byte[0]);
            return false;
        }
        if (!access.hasSession(exchange)) {
            send(exchange, 401, "text/plain; charset=utf-8",
                    "log in with the link changepipe run printed, or one from changepipe dashboard".getBytes(StandardCharsets.UTF_8));
            return false;
        }
        return true;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String contentType(String asset) {
        if (asset.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return asset.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }

    private static Map<String, List<String>> parameters(HttpExchange exchange) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String value = kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dashboard answer is not JSON: " + e.getMessage(), e);
        }
    }
}
