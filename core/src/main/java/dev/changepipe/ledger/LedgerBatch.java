package dev.changepipe.ledger;

import dev.changepipe.csv.ReadSummary;
import dev.changepipe.fault.FaultPoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger entries of one load, in file order, and the rule that decides them. File ids follow the ledger's last one and ingestion
 * times strictly increase, also across loads, so that "later file" means the same thing everywhere.
 */
public final class LedgerBatch {

    /** One ledger row to write. */
    public record Entry(LandedFile file, long fileId, String status, long loaded, long rejected, String firstError,
            Instant ingestedAt, int version, Long originalFileId) {}

    private static final Logger LOG = LoggerFactory.getLogger(LedgerBatch.class);

    private final List<Entry> entries = new ArrayList<>();
    private final Clock clock;
    private long lastFileId;
    private Instant lastIngestedAt;

    /** @param lastIngestedAt the ledger's latest ingestion time, or null when it is empty */
    public LedgerBatch(long lastFileId, Instant lastIngestedAt, Clock clock) {
        this.lastFileId = lastFileId;
        this.lastIngestedAt = lastIngestedAt;
        this.clock = clock;
    }

    /**
     * Accounts for one landed file of the load, from the ledger's earlier entries of its name (file id
     * order, vanished ones left out): skips a file the ledger holds, records a re-delivery or a refusal,
     * or stages the file and records what reading it gave. The rule every engine applies, so that all
     * engines account for files alike (docs/semantics.md §1): content identity is the SHA-256 of the
     * bytes, and a name's version counts its entries that were not re-deliveries.
     */
    public FileOutcome account(LandedFile file, List<KnownFile> earlier, FileStaging staging) throws Exception {
        Long original = null;
        int versions = 0;
        for (KnownFile known : earlier) {
            if (file.contentHash().equals(known.contentHash())) {
                if (known.size() == file.size() && known.lastModified().equals(Ledger.micros(file.lastModified()))) {
                    return new FileOutcome.AlreadyRecorded(known.fileId());
                }
                original = original == null ? known.fileId() : original;
            }
            if (!"redelivered".equals(known.status())) {
                versions++;
            }
        }
        if (original != null) {
            return new FileOutcome.Redelivered(record(file, "redelivered", 0, 0, null, versions, original), original);
        }
        int version = versions + 1;
        if (file.refusal() != null) {
            return new FileOutcome.Refused(record(file, "refused", 0, 0, file.refusal(), version, null), file.refusal());
        }
        long fileId = lastFileId + 1;
        FileStaging.Staged staged = staging.stage(file, fileId);
        FaultPoint.AFTER_STAGE.reached();
        if (staged instanceof FileStaging.Staged.Vanished) {
            return new FileOutcome.Vanished(record(file, "vanished", 0, 0, "the file was gone when it was to be read",
                    version, null));
        }
        if (staged instanceof FileStaging.Staged.Refused refused) {
            // A file can be refused after some of its rows were staged (a gzip stream cut short): none may load.
            staging.unstage(fileId);
            return new FileOutcome.Refused(record(file, "refused", 0, 0, refused.reason(), version, null), refused.reason());
        }
        ReadSummary summary = ((FileStaging.Staged.Read) staged).summary();
        if (!file.contentHash().equals(summary.contentHash())) {
            staging.unstage(fileId);
            return new FileOutcome.ChangedWhileRead("its content changed while it was read");
        }
        if (version > 1) {
            LOG.info("{} has new content: loading it as version {} of that file", file.name(), version);
        }
        String status = summary.rowsRejected() == 0 ? "loaded" : "loaded_with_rejects";
        record(file, status, summary.rowsAccepted(), summary.rowsRejected(), summary.firstError(), version, null);
        return new FileOutcome.Loaded(fileId, summary.rowsAccepted(), summary.rowsRejected(), summary.firstError());
    }

    /** Records an entry and returns its file id. */
    private long record(LandedFile file, String status, long loaded, long rejected, String firstError, int version,
            Long originalFileId) {
        Instant ingestedAt = Ledger.micros(clock.instant());
        if (lastIngestedAt != null && !ingestedAt.isAfter(lastIngestedAt)) {
            ingestedAt = lastIngestedAt.plus(1, ChronoUnit.MICROS);
        }
        lastIngestedAt = ingestedAt;
        lastFileId++;
        entries.add(new Entry(file, lastFileId, status, loaded, rejected, firstError, ingestedAt, version, originalFileId));
        return lastFileId;
    }

    /** The last file id given out: the ledger's last once the batch is written. */
    public long lastFileId() {
        return lastFileId;
    }

    /** The latest ingestion time given out, or the ledger's when the batch gave none (null while it is empty). */
    public Instant lastIngestedAt() {
        return lastIngestedAt;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
