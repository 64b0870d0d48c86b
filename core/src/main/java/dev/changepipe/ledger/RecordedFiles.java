package dev.changepipe.ledger;

import dev.changepipe.engine.Engine;
import java.util.List;

/** The objects of a bucket the ledger holds, as a bucket landing zone asks for them after a restart. */
public final class RecordedFiles {
    private RecordedFiles() {}

    /** The entries (vanished ones left out) whose location starts with {@code locationPrefix} and that have an ETag. */
    public static List<RecordedFile> under(Engine engine, String locationPrefix) {
        return engine.ledger(LedgerQuery.all().under(locationPrefix).excluding(FileStatus.VANISHED)).stream()
                .filter(e -> e.etag() != null)
                .map(e -> new RecordedFile(e.location(), e.etag(), e.size(), e.lastModified()))
                .toList();
    }
}
