package dev.changepipe.ledger;

import java.time.Instant;

/**
 * An object the ledger holds (in any status but {@code vanished}), as a bucket landing zone needs it to
 * skip, after a restart, the objects whose version was handled before: by location, ETag, size and
 * modification time.
 */
public record RecordedFile(String location, String etag, long size, Instant lastModified) {}
