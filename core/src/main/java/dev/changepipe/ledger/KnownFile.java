package dev.changepipe.ledger;

import java.time.Instant;

/** What the file ledger already holds of a file name: one earlier entry (vanished entries are left out). */
public record KnownFile(long fileId, long size, Instant lastModified, String status, String contentHash) {}
