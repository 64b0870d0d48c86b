package dev.changepipe.ledger;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A file found in the landing zone and ready to load.
 *
 * @param name the file's name relative to the landing zone; the ledger's identity of a file together with {@code contentHash}
 * @param path the local file whose bytes are loaded: the landed file itself, or a local copy of an object in a bucket
 * @param contentHash lowercase hex SHA-256 of the bytes that will be loaded
 * @param refusal why the landing zone will not let the file be read (recorded as refused), or null
 * @param location where the file landed, as the ledger's {@code path} column records it: the file's path in
 *     the landing folder, or {@code s3://bucket/key}
 * @param etag the ETag of the object version that was read, for a file from a bucket; null for a file in a folder
 */
public record LandedFile(String name, Path path, long size, Instant lastModified, String contentHash, String refusal,
        String location, String etag) {
    public LandedFile(String name, Path path, long size, Instant lastModified, String contentHash) {
        this(name, path, size, lastModified, contentHash, null);
    }

    /** A file in a landing folder: its location is its path. */
    public LandedFile(String name, Path path, long size, Instant lastModified, String contentHash, String refusal) {
        this(name, path, size, lastModified, contentHash, refusal, path.toString(), null);
    }
}
