package dev.changepipe.cli.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to the open pages. Publishing never blocks the pipeline: each page has a bounded queue, and a
 * page that falls that far behind is disconnected (its browser reconnects and starts again from a snapshot).
 */
final class EventStream implements AutoCloseable {
    /** At most this many pages at once; each holds one of the server's threads while open. */
    static final int MAX_PAGES = 8;
    private static final int QUEUE = 1000;
    private static final long HEARTBEAT_SECONDS = 15;
    private static final String CLOSE = "close";

    private final Set<BlockingQueue<String>> pages = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    int subscribers() {
        return pages.size();
    }

    void publish(String event, String json) {
        String message = "event: " + event + "\ndata: " + json + "\n\n";
        for (BlockingQueue<String> page : pages) {
            if (!page.offer(message)) {
                pages.remove(page);
                page.clear();
                page.offer(CLOSE);
            }
        }
    }

    /**
     * Streams to one page until it goes away or the stream closes. {@code snapshot} is called after the page is
     * subscribed, so that no event falls between the snapshot and the stream.
     */
    void serve(HttpExchange exchange, java.util.function.Supplier<String> snapshot) throws IOException {
        if (closed || pages.size() >= MAX_PAGES) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        pages.add(queue);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "retry: 1000\nevent: snapshot\ndata: " + snapshot.get() + "\n\n");
            while (!closed) {
                String message = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (CLOSE.equals(message)) {
                    break;
                }
                // A comment line keeps proxies and the browser from timing the stream out, and finds a closed page.
                write(out, message == null ? ": alive\n\n" : message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException pageWentAway) {
            // The page was closed or reloaded: nothing to do but forget it.
        } finally {
            pages.remove(queue);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        for (BlockingQueue<String> page : pages) {
            page.clear();
            page.offer(CLOSE);
        }
    }
}
