package dev.changepipe.ledger;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import java.time.Instant;

/**
 * One entry of the file ledger ({@code changepipe.files}): how one landed file, or one version of it, ended.
 *
 * @param location where the file landed: its path in the landing folder, or {@code s3://bucket/key}
 * @param version the version of the name whose content this entry holds (docs/semantics.md §1.2)
 * @param originalFileId for a re-delivery, the entry whose content it repeats; otherwise null
 * @param etag the ETag of the object version read from a bucket; null for a file in a folder
 * @param checks the rows that failed each quality check (docs/semantics.md §1.7)
 * @param drift the columns the file's header added or lacked (docs/semantics.md §1.8)
 */
public record LedgerEntry(long fileId, String name, String location, long size, String contentHash,
        Instant lastModified, FileStatus status, long rowsLoaded, long rowsRejected, String firstError,
        Instant ingestedAt, int version, Long originalFileId, String etag, CheckCounts checks, HeaderDrift drift) {

    public LedgerEntry {
        checks = checks == null ? CheckCounts.NONE : checks;
        drift = drift == null ? HeaderDrift.NONE : drift;
    }

    /** An entry no quality check has anything to say about. */
    public LedgerEntry(long fileId, String name, String location, long size, String contentHash,
            Instant lastModified, FileStatus status, long rowsLoaded, long rowsRejected, String firstError,
            Instant ingestedAt, int version, Long originalFileId, String etag) {
        this(fileId, name, location, size, contentHash, lastModified, status, rowsLoaded, rowsRejected, firstError,
                ingestedAt, version, originalFileId, etag, CheckCounts.NONE, HeaderDrift.NONE);
    }
}
