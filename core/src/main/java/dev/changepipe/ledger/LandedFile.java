package dev.changepipe.ledger;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A file found in the landing zone and ready to load.
 *
 * @param name the file's name relative to the landing zone; the ledger's identity of a file together with {@code contentHash}
 * @param contentHash lowercase hex SHA-256 of the bytes that will be loaded
 * @param refusal why the landing zone will not let the file be read (recorded as refused), or null
 */
public record LandedFile(String name, Path path, long size, Instant lastModified, String contentHash, String refusal) {
    public LandedFile(String name, Path path, long size, Instant lastModified, String contentHash) {
        this(name, path, size, lastModified, contentHash, null);
    }
}
