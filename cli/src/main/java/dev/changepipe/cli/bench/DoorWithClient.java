package dev.changepipe.cli.bench;

import dev.changepipe.cli.door.DoorOptions;
import dev.changepipe.cli.door.SqlDoor;
import dev.changepipe.engine.Engine;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The SQL door served during a latency run, as {@code run} serves it, with a Flight SQL client in this process reading
 * the current table through it once a second: what {@code bench --door-client} adds, so that the latency with and
 * without it gives the door's cost to the live pipeline.
 */
final class DoorWithClient implements AutoCloseable {
    static final long EVERY_MS = 1000;

    private final SqlDoor door;
    private final BufferAllocator allocator = new RootAllocator();
    private final FlightSqlClient client;
    private final HeaderCallOption auth;
    private final String sql;
    private final Thread thread;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private volatile boolean stopping;

    private DoorWithClient(SqlDoor door, String token, String table) {
        this.door = door;
        this.client = new FlightSqlClient(FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", door.port())).build());
        CallHeaders headers = new FlightCallHeaders();
        headers.insert("authorization", "Bearer " + token);
        this.auth = new HeaderCallOption(headers);
        this.sql = "SELECT count(*) FROM " + Identifier.quote(table);
        this.thread = new Thread(this::queryEverySecond, "bench-door-client");
        thread.setDaemon(true);
    }

    static DoorWithClient open(PipelineSpec spec, Engine engine) throws java.io.IOException {
        Path folder = spec.engine().path();
        SqlDoor door = SqlDoor.start(folder, engine, spec, DoorOptions.loopback(0));
        try {
            DoorWithClient withClient = new DoorWithClient(door, Files.readString(door.tokenFile()).strip(),
                    spec.tables().current());
            withClient.thread.start();
            return withClient;
        } catch (java.io.IOException | RuntimeException e) {
            door.close();
            throw e;
        }
    }

    private void queryEverySecond() {
        while (!stopping) {
            long started = System.nanoTime();
            try {
                FlightInfo info = client.execute(sql, auth);
                for (FlightEndpoint endpoint : info.getEndpoints()) {
                    try (FlightStream stream = client.getStream(endpoint.getTicket(), auth)) {
                        while (stream.next()) {
                            rows.addAndGet(stream.getRoot().getRowCount());
                        }
                    }
                }
                queries.incrementAndGet();
            } catch (Exception e) {
                if (!stopping) {
                    failures.incrementAndGet();
                }
            }
            long waitMs = EVERY_MS - (System.nanoTime() - started) / 1_000_000;
            try {
                if (waitMs > 0) {
                    Thread.sleep(waitMs);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long queries() {
        return queries.get();
    }

    long failures() {
        return failures.get();
    }

    /** What the phase reports: the client's queries, so a run shows the door was used. */
    String outcome() {
        // A run shorter than one query on a loaded machine would otherwise report a door nobody used.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queries() + failures() == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "a Flight SQL client through the SQL door: " + queries() + " queries, " + failures() + " failed";
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close();
        } catch (Exception e) {
            // The door is closed next; a client that fails to close holds nothing of the pipeline's.
        }
        door.close();
        allocator.close();
    }
}
