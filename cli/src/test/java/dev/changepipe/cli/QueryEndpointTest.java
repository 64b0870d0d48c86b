package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local query endpoint: loopback only, and nothing without the token. */
class QueryEndpointTest {
    @TempDir
    Path dir;

    @Test
    void answersOnlyOnLoopbackAndOnlyWithTheToken() throws Exception {
        PipelineSpec spec = SpecLoader.load(UsersExample.copyTo(dir));
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
                new PipelineRunner(spec, engine, landing, Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();
            }
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live)) {
                EndpointFile file = EndpointFile.read(spec.engine().path()).orElseThrow();
                assertThat(file.port()).isEqualTo(endpoint.port());
                assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();

                assertThat(post(endpoint.port(), null)).isEqualTo(401);
                assertThat(post(endpoint.port(), "Bearer " + "0".repeat(file.token().length()))).isEqualTo(401);
                assertThat(post(endpoint.port(), "Bearer " + file.token())).isEqualTo(200);

                // The token shows up in no output and no error of the commands that use the endpoint.
                Path specFile = dir.resolve("pipeline.yaml");
                Cli status = Cli.run("status", "--spec", specFile.toString());
                Cli failing = Cli.run("query", "--spec", specFile.toString(), "SELECT * FROM no_such_table");
                assertThat(status.exitCode()).isZero();
                assertThat(failing.exitCode()).isEqualTo(2);
                assertThat(status.out() + status.err() + failing.out() + failing.err()).doesNotContain(file.token());

                // `changepipe dashboard` prints a new one-time login link, which the running pipeline accepts.
                Cli dashboard = Cli.run("dashboard", "--spec", specFile.toString());
                assertThat(dashboard.exitCode()).as(dashboard.err()).isZero();
                String link = dashboard.out().strip();
                assertThat(link).startsWith("http://127.0.0.1:" + endpoint.port() + "/login?code=").doesNotContain(file.token());
                HttpResponse<Void> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(login.statusCode()).isEqualTo(303);
                assertThat(login.headers().firstValue("Set-Cookie")).isPresent();

                // An as-of query and key through the endpoint (rule 3.5) read what the engine reads as of that time.
                Cli asOf = Cli.run("query", "--spec", specFile.toString(), "--format", "csv", "--as-of", "5",
                        "SELECT userId, city FROM users ORDER BY userId");
                assertThat(asOf.exitCode()).as(asOf.err()).isZero();
                assertThat(asOf.out()).isEqualTo("userId,city\n123,Chihuahua\n124,Oaxaca\n125,Mexicali\n126,Cancun\n");
                Cli key = Cli.run("history", "--spec", specFile.toString(), "--format", "csv", "--as-of", "2", "125");
                assertThat(key.out()).isEqualTo("userId,name,city\n125,Mercedes,Tijuana\n");
                Cli badTime = Cli.run("query", "--spec", specFile.toString(), "--as-of", "soon", "SELECT 1");
                assertThat(badTime.exitCode()).isEqualTo(2);
                assertThat(badTime.err()).contains("--as-of: cannot read 'soon' as bigint");

                // The ledger through the endpoint equals the engine's own read.
                Cli files = Cli.run("files", "--spec", specFile.toString(), "--format", "csv", "--latest");
                assertThat(files.exitCode()).as(files.err()).isZero();
                java.io.StringWriter local = new java.io.StringWriter();
                try (java.io.PrintWriter out = new java.io.PrintWriter(local)) {
                    ResultFormat.CSV.print(LedgerTable.of(engine.ledger(LedgerQuery.latest(100))), out);
                }
                assertThat(files.out()).isEqualTo(local.toString());
            }
            assertThat(EndpointFile.read(spec.engine().path())).isEmpty();
        }
    }

    private static int post(int port, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT 1\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
