package dev.changepipe.ledger;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which ledger entries to read, and one page of them: entries of a pipeline filtered by name, location prefix and
 * status, with file ids in ({@code afterFileId}, {@code beforeFileId}), at most {@code limit} of them, oldest or
 * newest first. A page's last file id is the next page's bound.
 *
 * @param names the file names to read; empty for every name
 * @param locationPrefix the start every entry's location has; null for any location
 * @param statuses the statuses to read; never empty
 */
public record LedgerQuery(List<String> names, String locationPrefix, Set<FileStatus> statuses, long afterFileId,
        long beforeFileId, int limit, boolean newestFirst) {

    public LedgerQuery {
        names = List.copyOf(names);
        statuses = Set.copyOf(statuses);
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("a ledger query needs at least one status");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("a ledger query's limit cannot be negative: " + limit);
        }
    }

    /** Every entry, oldest first. */
    public static LedgerQuery all() {
        return new LedgerQuery(List.of(), null, EnumSet.allOf(FileStatus.class), 0, Long.MAX_VALUE,
                Integer.MAX_VALUE, false);
    }

    /** The latest {@code limit} entries, newest first. */
    public static LedgerQuery latest(int limit) {
        return all().newestToOldest().first(limit);
    }

    /** Only entries of these names. */
    public LedgerQuery named(Collection<String> fileNames) {
        return new LedgerQuery(List.copyOf(Set.copyOf(fileNames)), locationPrefix, statuses, afterFileId,
                beforeFileId, limit, newestFirst);
    }

    /** Only entries whose location starts with {@code prefix}. */
    public LedgerQuery under(String prefix) {
        return new LedgerQuery(names, prefix, statuses, afterFileId, beforeFileId, limit, newestFirst);
    }

    /** Only entries in none of these statuses. */
    public LedgerQuery excluding(FileStatus first, FileStatus... more) {
        Set<FileStatus> kept = EnumSet.copyOf(statuses);
        kept.remove(first);
        List.of(more).forEach(kept::remove);
        return new LedgerQuery(names, locationPrefix, kept, afterFileId, beforeFileId, limit, newestFirst);
    }

    /** Only entries with a file id above {@code fileId}. */
    public LedgerQuery after(long fileId) {
        return new LedgerQuery(names, locationPrefix, statuses, fileId, beforeFileId, limit, newestFirst);
    }

    /** Only entries with a file id below {@code fileId}. */
    public LedgerQuery before(long fileId) {
        return new LedgerQuery(names, locationPrefix, statuses, afterFileId, fileId, limit, newestFirst);
    }

    /** At most {@code count} entries. */
    public LedgerQuery first(int count) {
        return new LedgerQuery(names, locationPrefix, statuses, afterFileId, beforeFileId, count, newestFirst);
    }

    /** Newest entries first. */
    public LedgerQuery newestToOldest() {
        return new LedgerQuery(names, locationPrefix, statuses, afterFileId, beforeFileId, limit, true);
    }

    /** Whether {@code entry} passes the filter (the page's bounds and limit aside from file ids). */
    public boolean matches(LedgerEntry entry) {
        return (names.isEmpty() || names.contains(entry.name()))
                && (locationPrefix == null || entry.location().startsWith(locationPrefix))
                && statuses.contains(entry.status())
                && entry.fileId() > afterFileId && entry.fileId() < beforeFileId;
    }
}
