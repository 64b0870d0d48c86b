package dev.changepipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a running pipeline serves queries: its loopback port and the random token a client must
 * send. Kept in the warehouse folder, readable by its owner only.
 */
record EndpointFile(int port, String token, long pid, Instant since) {
    static final String NAME = "query-endpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    static Path path(Path warehouse) {
        return warehouse.resolve(NAME);
    }

    void write(Path warehouse) {
        Path target = path(warehouse);
        Path temp = warehouse.resolve(NAME + ".tmp");
        try {
            Files.createDirectories(warehouse);
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, JSON.writeValueAsString(new Stored(port, token, pid, since.toString())));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw ChangepipeException.external("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The endpoint of a live pipeline process, if one serves this warehouse. */
    static Optional<EndpointFile> read(Path warehouse) {
        Path file = path(warehouse);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Stored stored = JSON.readValue(file.toFile(), Stored.class);
            EndpointFile endpoint = new EndpointFile(stored.port, stored.token, stored.pid, Instant.parse(stored.since));
            boolean alive = ProcessHandle.of(endpoint.pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(endpoint) : Optional.empty();
        } catch (AccessDeniedException e) {
            throw ChangepipeException.user("warehouse " + warehouse + " is served by another user's pipeline: " + file
                    + " is not readable");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void delete(Path warehouse) {
        try {
            Files.deleteIfExists(path(warehouse));
        } catch (IOException ignored) {
            // A stale file names a dead process and is ignored by read().
        }
    }

    /** The JSON shape of the file. */
    record Stored(int port, String token, long pid, String since) {}
}
