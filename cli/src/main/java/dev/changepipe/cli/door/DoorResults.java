package dev.changepipe.cli.door;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results between a client's GetFlightInfo, which runs the statement (so its schema and any error come at once), and
 * its DoGet, which streams them: each under a random handle, taken once. A client that never fetches its result
 * leaves an open reader (on the embedded engine: a transaction), so one not taken within {@link #UNCLAIMED} is closed.
 */
final class DoorResults implements AutoCloseable {
    static final Duration UNCLAIMED = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(DoorResults.class);

    private record Pending(ArrowReader reader, Instant since) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    DoorResults(Clock clock) {
        this.clock = clock;
    }

    /** Keeps an open result; returns the handle its ticket carries. */
    byte[] keep(ArrowReader reader) {
        UUID id = UUID.randomUUID();
        pending.put(id.toString(), new Pending(reader, clock.instant()));
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    /** The result under {@code handle}, now the caller's to close; null when there is none (fetched, expired, made up). */
    ArrowReader take(byte[] handle) {
        if (handle.length != 16) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(handle);
        Pending taken = pending.remove(new UUID(bytes.getLong(), bytes.getLong()).toString());
        return taken == null ? null : taken.reader();
    }

    /** Closes results nobody fetched in time. */
    void expire() {
        Instant limit = clock.instant().minus(UNCLAIMED);
        pending.forEach((id, p) -> {
            if (p.since().isBefore(limit) && pending.remove(id, p)) {
                closeQuietly(p.reader());
            }
        });
    }

    int size() {
        return pending.size();
    }

    @Override
    public void close() {
        pending.keySet().forEach(id -> {
            Pending p = pending.remove(id);
            if (p != null) {
                closeQuietly(p.reader());
            }
        });
    }

    static void closeQuietly(ArrowReader reader) {
        try {
            reader.close();
        } catch (Exception e) {
            LOG.warn("closing a result of the SQL door failed: {}", e.getMessage());
        }
    }
}
