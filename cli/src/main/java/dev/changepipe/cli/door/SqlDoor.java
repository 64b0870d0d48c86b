package dev.changepipe.cli.door;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.cli.dashboard.MetricsToken;
import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL door: an Arrow Flight SQL server that {@code run} serves next to the query endpoint, so that BI tools,
 * notebooks and JDBC clients read the live tables. Read-only; loopback unless the user opts in with TLS
 * ({@link DoorOptions}); the token a client sends is kept in the warehouse folder, readable by its owner only, and
 * stays the same across restarts so that a tool's saved connection keeps working. Where it listens is written next
 * to the query endpoint's file while it runs.
 */
public final class SqlDoor implements AutoCloseable {
    public static final String TOKEN_FILE = "sql-door-token";
    public static final String ADDRESS_FILE = "sql-door.json";
    private static final Logger LOG = LoggerFactory.getLogger(SqlDoor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON shape of {@link #ADDRESS_FILE}. */
    record Address(String host, int port, boolean tls, long pid, String since, String url) {}

    private final FlightServer server;
    private final BufferAllocator allocator;
    private final DoorResults results;
    private final DoorProducer producer;
    private final ScheduledExecutorService sweeper;
    private final Path folder;
    private final Path tokenFile;
    private final String host;
    private final boolean tls;

    private SqlDoor(FlightServer server, BufferAllocator allocator, DoorResults results, DoorProducer producer,
            ScheduledExecutorService sweeper, Path folder, String host, boolean tls) {
        this.server = server;
        this.allocator = allocator;
        this.results = results;
        this.producer = producer;
        this.sweeper = sweeper;
        this.folder = folder;
        this.tokenFile = folder.resolve(TOKEN_FILE);
        this.host = host;
        this.tls = tls;
    }

    /** Starts the door on the options' address; a bad option fails here, before the pipeline runs, naming it. */
    public static SqlDoor start(Path folder, Engine engine, PipelineSpec spec, DoorOptions options) {
        options.check();
        String token = MetricsToken.readOrCreate(folder, TOKEN_FILE);
        BufferAllocator allocator = new RootAllocator();
        DoorResults results = new DoorResults(Clock.systemUTC());
        DoorProducer producer = new DoorProducer(engine, allocator, results, new DoorCatalog(engine, spec), version());
        Location location = options.tls()
                ? Location.forGrpcTls(options.bind, options.port)
                : Location.forGrpcInsecure(options.bind, options.port);
        FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
                .headerAuthenticator(new DoorAuth(token));
        ScheduledExecutorService sweeper = null;
        try {
            if (options.tls()) {
                builder.useTls(options.tlsCert.toFile(), options.tlsKey.toFile());
            }
            FlightServer server = builder.build().start();
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "changepipe-sql-door-sweeper");
                thread.setDaemon(true);
                return thread;
            });
            sweeper.scheduleWithFixedDelay(results::expire, 15, 15, TimeUnit.SECONDS);
            SqlDoor door = new SqlDoor(server, allocator, results, producer, sweeper, folder, options.bind, options.tls());
            door.writeAddress();
            return door;
        } catch (IOException | RuntimeException e) {
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            results.close();
            allocator.close();
            throw ChangepipeException.user("the SQL door cannot listen on " + options.bind + ":" + options.port + ": "
                    + ChangepipeException.firstLine(String.valueOf(e.getMessage())) + " (--sql-door-port, --sql-door-bind, "
                    + "or --no-sql-door)");
        }
    }

    public int port() {
        return server.getPort();
    }

    public Path tokenFile() {
        return tokenFile;
    }

    /** The Flight SQL JDBC driver's URL, without the token. */
    public String jdbcUrl() {
        return "jdbc:arrow-flight-sql://" + host + ":" + port() + (tls ? "" : "?useEncryption=false");
    }

    /** The line {@code run} prints: where to connect and where the secret is, never the secret. */
    public String connectionLine() {
        return "sql door:  " + jdbcUrl() + " (Arrow Flight SQL; token in " + tokenFile
                + ", or user " + DoorAuth.USER + " with the token as password)";
    }

    private void writeAddress() throws IOException {
        Path target = folder.resolve(ADDRESS_FILE);
        Path temp = folder.resolve(ADDRESS_FILE + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, JSON.writeValueAsString(new Address(host, port(), tls, ProcessHandle.current().pid(),
                Instant.now().toString(), jdbcUrl())));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Open results not yet fetched: for tests and the door's own upkeep. */
    int pendingResults() {
        return results.size();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(folder.resolve(ADDRESS_FILE));
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", ADDRESS_FILE, e.getMessage());
        }
        sweeper.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the SQL door's calls did not end within 5 s; closing it anyway");
            }
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        results.close();
        try {
            allocator.close();
        } catch (IllegalStateException e) {
            // A stream cut off mid-way may still hold a batch; the process is ending, so this is reported, not thrown.
            LOG.warn("the SQL door's memory was not all given back: {}", ChangepipeException.firstLine(e.getMessage()));
        }
    }

    private static String version() {
        String version = SqlDoor.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
