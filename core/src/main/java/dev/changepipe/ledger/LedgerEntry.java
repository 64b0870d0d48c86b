package dev.changepipe.ledger;

import java.time.Instant;

/**
 * One entry of the file ledger ({@code changepipe.files}): how one landed file, or one version of it, ended.
 *
 * @param location where the file landed: its path in the landing folder, or {@code s3://bucket/key}
 * @param version the version of the name whose content this entry holds (docs/semantics.md §1.2)
 * @param originalFileId for a re-delivery, the entry whose content it repeats; otherwise null
 * @param etag the ETag of the object version read from a bucket; null for a file in a folder
 */
public record LedgerEntry(long fileId, String name, String location, long size, String contentHash,
        Instant lastModified, FileStatus status, long rowsLoaded, long rowsRejected, String firstError,
        Instant ingestedAt, int version, Long originalFileId, String etag) {}
