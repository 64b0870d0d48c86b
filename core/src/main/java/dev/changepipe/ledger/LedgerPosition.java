package dev.changepipe.ledger;

import java.time.Instant;

/**
 * Where the ledger stands: its last file id and its latest ingestion time (null while it is empty). A load's
 * entries continue from it.
 */
public record LedgerPosition(long lastFileId, Instant lastIngestedAt) {}
