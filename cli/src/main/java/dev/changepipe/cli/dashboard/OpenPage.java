package dev.changepipe.cli.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dashboard page held open by a client in this process, for {@code bench --dashboard-page}: it logs in with the link,
 * loads the page and its assets, and then reads the event stream as it comes, as a browser tab does. What it costs the
 * pipeline's process (events, their JSON, the stream) is what an open page costs; drawing is the browser's own work.
 */
public final class OpenPage implements AutoCloseable {
    private final AtomicLong events = new AtomicLong();
    private final AtomicReference<InputStream> stream = new AtomicReference<>();
    private final Thread reader;

    private OpenPage(String base, String cookie, HttpClient http) {
        reader = new Thread(() -> read(base, cookie, http), "dashboard-page");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the page behind {@code loginLink} and returns once its event stream has started. */
    public static OpenPage open(String loginLink) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        URI login = URI.create(loginLink);
        String base = login.getScheme() + "://" + login.getAuthority();
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(login).GET().build(), HttpResponse.BodyHandlers.discarding());
        String setCookie = answer.headers().firstValue("Set-Cookie")
                .orElseThrow(() -> new IOException("the dashboard's login answered " + answer.statusCode() + " and no cookie"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        for (String asset : new String[] {"/", "/app.js", "/app.css"}) {
            HttpResponse<byte[]> loaded = http.send(HttpRequest.newBuilder(URI.create(base + asset)).header("Cookie", cookie)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (loaded.statusCode() != 200) {
                throw new IOException("the dashboard answered " + loaded.statusCode() + " for " + asset);
            }
        }
        OpenPage page = new OpenPage(base, cookie, http);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (page.events() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (page.events() == 0) {
            page.close();
            throw new IOException("the dashboard's event stream sent no snapshot within 10 s");
        }
        return page;
    }

    private void read(String base, String cookie, HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/events")).header("Cookie", cookie)
                .header("Accept", "text/event-stream").GET().build();
        try {
            InputStream body = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
            stream.set(body);
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    events.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // Closed, or the server stopped: the page is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events received so far, the opening snapshot included. */
    public long events() {
        return events.get();
    }

    @Override
    public void close() {
        InputStream body = stream.get();
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // Going away anyway.
            }
        }
        reader.interrupt();
    }
}
