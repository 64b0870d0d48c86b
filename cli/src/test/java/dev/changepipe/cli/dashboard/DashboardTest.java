package dev.changepipe.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.QueryEndpoint;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.PipelineTask;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's and {@code /metrics}'s answers over HTTP, after a fixed workload on a real DuckDB pipeline: who gets
 * in, and what the numbers say. The pages themselves are tested in a browser ({@code DashboardBrowserIT}).
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    @Test
    void metricsCountTheFixedWorkloadAndAskForTheStableToken() throws Exception {
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir));
        CustomerFiles.write(spec.landing());
        String firstToken;
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
                    LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
                PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), live);
                runner.runUntilIdle();
                CustomerFiles.redeliver(spec.landing());
                runner.runUntilIdle();

                Path tokenFile = MetricsToken.path(spec.engine().path());
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
                firstToken = Files.readString(tokenFile).strip();
                String metrics = "http://127.0.0.1:" + endpoint.port() + "/metrics";
                assertThat(get(metrics, null, null).statusCode()).isEqualTo(401);
                assertThat(get(metrics, "Authorization", "Bearer " + "0".repeat(firstToken.length())).statusCode()).isEqualTo(401);
                HttpResponse<String> scrape = get(metrics, "Authorization", "Bearer " + firstToken);
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");

                PrometheusText text = PrometheusText.parse(scrape.body());
                assertThat(text.value("changepipe_ledger_files_total", "status", "loaded", "pipeline", "customer")).isEqualTo(1);
                assertThat(text.value("changepipe_ledger_files_total", "status", "loaded_with_rejects")).isEqualTo(1);
                assertThat(text.value("changepipe_ledger_files_total", "status", "refused")).isEqualTo(1);
                assertThat(text.value("changepipe_ledger_files_total", "status", "redelivered")).isEqualTo(1);
                assertThat(text.value("changepipe_ledger_files_total", "status", "vanished")).isZero();
                assertThat(text.value("changepipe_rows_loaded_total")).isEqualTo(5);
                assertThat(text.value("changepipe_rows_rejected_total")).isEqualTo(1);
                // The task timers agree with the task history the engine recorded.
                List<TaskRun> runs = engine.taskHistory(100);
                for (PipelineTask task : PipelineTask.values()) {
                    long succeeded = runs.stream().filter(r -> r.task() == task && TaskRun.SUCCEEDED.equals(r.status())).count();
                    assertThat(succeeded).as(task.label()).isPositive();
                    assertThat(text.value("changepipe_task_duration_seconds_count", "task", task.label(), "status", "succeeded"))
                            .as(task.label()).isEqualTo(succeeded);
                    assertThat(text.value("changepipe_task_failures_total", "task", task.label())).isZero();
                }
                // The two files with rows reached history: two latencies, and nothing left behind.
                assertThat(text.value("changepipe_landing_to_history_seconds_count")).isEqualTo(2);
                assertThat(text.value("changepipe_landing_to_history_seconds_bucket", "le", "+Inf")).isEqualTo(2);
                // They landed two minutes ago (their modification time), so both fall above a minute.
                assertThat(text.value("changepipe_landing_to_history_seconds_bucket", "le", "60.0")).isZero();
                for (String task : List.of("current", "history")) {
                    assertThat(text.value("changepipe_task_backlog_files", "task", task)).isZero();
                    assertThat(text.value("changepipe_task_lag_seconds", "task", task)).isZero();
                }
            }
        }
        // A restart keeps the token that Prometheus's credentials file holds.
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live)) {
                assertThat(Files.readString(MetricsToken.path(spec.engine().path())).strip()).isEqualTo(firstToken);
                assertThat(get("http://127.0.0.1:" + endpoint.port() + "/metrics", "Authorization", "Bearer " + firstToken)
                        .statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void eachFileShowsItsRowsThatFailedEachQualityCheckLiveAndAfterARestart() throws Exception {
        Path specFile = BuiltInSpec.write(dir);
        Files.writeString(specFile, Files.readString(specFile)
                + "checks:\n  - {name: not_austin, must: \"city <> 'Austin'\", on_fail: warn}\n");
        PipelineSpec spec = SpecLoader.load(specFile);
        CustomerFiles.write(spec.landing());
        String clean = null;
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
                new PipelineRunner(spec, engine, landing, Clock.systemUTC(), live).runUntilIdle();
                clean = checksByFile(live).get(CustomerFiles.CLEAN);
                // Each loaded file has one Austin row; the refused file has no rows to check.
                assertThat(checksByFile(live)).as("as the files were processed").containsOnly(
                        entry(CustomerFiles.CLEAN, "[{\"check\":\"not_austin\",\"onFail\":\"warn\",\"rows\":1}]"),
                        entry(CustomerFiles.WITH_REJECT, "[{\"check\":\"not_austin\",\"onFail\":\"warn\",\"rows\":1}]"),
                        entry(CustomerFiles.REFUSED, "[]"));
            }
            try (LivePipeline restarted = LivePipeline.start(spec, engine, Clock.systemUTC())) {
                assertThat(checksByFile(restarted)).as("read back from the ledger").containsEntry(CustomerFiles.CLEAN, clean)
                        .hasSize(3);
            }
        }
    }

    /** File name to its checks as the page receives them (JSON). */
    private static Map<String, String> checksByFile(LivePipeline live) {
        Map<String, String> byFile = new TreeMap<>();
        for (JsonNode file : JSON.valueToTree(live.snapshot()).path("files")) {
            byFile.put(file.path("name").asText(), file.path("checks").toString());
        }
        return byFile;
    }

    @Test
    void nothingAnswersWithoutTheSessionCookieAndTheLoginLinkSetsIt() throws Exception {
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir));
        CustomerFiles.write(spec.landing());
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
                    LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
                new PipelineRunner(spec, engine, landing, Clock.systemUTC(), live).runUntilIdle();
                String base = "http://127.0.0.1:" + endpoint.port();
                for (String path : List.of("/", "/app.js", "/app.css", "/api/snapshot", "/api/events", "/api/rejects?file=2",
                        "/api/history?key=1", "/api/analysis", "/no-such-page")) {
                    HttpResponse<String> answer = get(base + path, null, null);
                    assertThat(answer.statusCode()).as(path).isEqualTo(401);
                    assertThat(answer.body()).as(path).doesNotContain("customer").doesNotContain("Lovelace");
                    assertThat(get(base + path, "Cookie", DashboardAccess.COOKIE + "=" + "0".repeat(64)).statusCode())
                            .as(path).isEqualTo(401);
                }
                // The query endpoint's token, as its owner-only file keeps it.
                String token = JSON.readTree(spec.engine().path().resolve("query-endpoint.json").toFile()).path("token").asText();
                assertThat(token).hasSize(48);
                for (String wrongLogin : List.of("/login?code=" + "0".repeat(48), "/login?token=" + token, "/login?code=" + token)) {
                    HttpResponse<String> wrong = get(base + wrongLogin, null, null);
                    assertThat(wrong.statusCode()).as(wrongLogin).isEqualTo(401);
                    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
                }

                String link = endpoint.dashboardLink();
                assertThat(link).startsWith(base + "/login?code=").doesNotContain(token);
                HttpResponse<String> login = get(link, null, null);
                assertThat(login.statusCode()).isEqualTo(303);
                assertThat(login.headers().firstValue("Location")).hasValue("/");
                String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").startsWith(DashboardAccess.COOKIE + "=");
                assertThat(setCookie).as("the cookie is not the API token").doesNotContain(token);
                String cookie = setCookie.substring(0, setCookie.indexOf(';'));
                // A link opens one browser: used once, it opens nothing more.
                assertThat(get(link, null, null).statusCode()).isEqualTo(401);
                // A new link comes from the query API, with the token from the owner-only endpoint file.
                HttpResponse<String> fresh = http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/link"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String freshLink = JSON.readTree(fresh.body()).path("link").asText();
                assertThat(freshLink).startsWith(base + "/login?code=").isNotEqualTo(link);
                assertThat(get(freshLink, null, null).statusCode()).isEqualTo(303);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/link"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(401);

                HttpResponse<String> index = get(base + "/", "Cookie", cookie);
                assertThat(index.statusCode()).isEqualTo(200);
                assertThat(index.body()).contains("<script src=\"/app.js\"></script>");
                JsonNode snapshot = JSON.readTree(get(base + "/api/snapshot", "Cookie", cookie).body());
                assertThat(snapshot.path("pipeline").asText()).isEqualTo("customer");
                assertThat(snapshot.path("summary").path("lastFileId").asLong()).isEqualTo(3);
                assertThat(snapshot.path("summary").path("rows").path("raw").asLong()).isEqualTo(5);
                assertThat(snapshot.path("files")).hasSize(3);

                // A file opens into its rejects: line, column, reason and the raw text, from the rejects table.
                long withRejects = engine.ledger(LedgerQuery.all()).stream()
                        .filter(e -> e.status() == FileStatus.LOADED_WITH_REJECTS).mapToLong(LedgerEntry::fileId).findFirst()
                        .orElseThrow();
                JsonNode rejects = JSON.readTree(get(base + "/api/rejects?file=" + withRejects, "Cookie", cookie).body());
                assertThat(rejects.path("file").path("name").asText()).isEqualTo(CustomerFiles.WITH_REJECT);
                assertThat(rejects.path("rejects")).hasSize(1);
                JsonNode reject = rejects.path("rejects").get(0);
                assertThat(reject.path("line").asLong()).isEqualTo(CustomerFiles.REJECTED_LINE);
                assertThat(reject.path("column").asText()).isEqualTo("customer_id");
                assertThat(reject.path("reason").asText()).isNotBlank();
                assertThat(reject.path("text").asText()).startsWith("x,Bad,Row");

                // A key's versions, oldest first, with what changed.
                JsonNode history = JSON.readTree(get(base + "/api/history?key=1", "Cookie", cookie).body());
                JsonNode versions = history.path("versions");
                assertThat(versions).hasSize(2);
                assertThat(versions.get(0).path("changed")).isEmpty();
                assertThat(versions.get(1).path("changed").toString()).contains("street").contains("city").contains("state")
                        .doesNotContain("first_name");
                assertThat(get(base + "/api/history?key=1&key=2", "Cookie", cookie).statusCode()).isEqualTo(400);

                JsonNode analysis = JSON.readTree(get(base + "/api/analysis", "Cookie", cookie).body());
                assertThat(analysis.path("places").toString()).contains("[\"USA\",\"TX\",2]");
                assertThat(analysis.path("perMinute")).isNotEmpty();

                // A page of another site that rebinds its name to 127.0.0.1 sends its own Host: refused, cookie or not.
                assertThat(rawStatus(endpoint.port(), "evil.example:" + endpoint.port(), cookie)).isEqualTo(403);
                assertThat(rawStatus(endpoint.port(), "localhost:" + endpoint.port(), cookie)).isEqualTo(200);
            }
        }
    }

    private HttpResponse<String> get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a Host header of our choosing, which Java's HTTP client will not send. */
    private static int rawStatus(int port, String host, String cookie) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/snapshot HTTP/1.1\r\nHost: " + host + "\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
