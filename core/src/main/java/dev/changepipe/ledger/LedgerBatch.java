package dev.changepipe.ledger;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
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
    public record Entry(LandedFile file, long fileId, FileStatus status, long loaded, long rejected, String firstError,
            Instant ingestedAt, int version, Long originalFileId, CheckCounts checks, HeaderDrift drift) {
        public Entry {
            checks = checks == null ? CheckCounts.NONE : checks;
            drift = drift == null ? HeaderDrift.NONE : drift;
        }

        /** An entry no quality check has anything to say about. */
        public Entry(LandedFile file, long fileId, FileStatus status, long loaded, long rejected, String firstError,
                Instant ingestedAt, int version, Long originalFileId) {
            this(file, fileId, status, loaded, rejected, firstError, ingestedAt, version, originalFileId, CheckCounts.NONE,
                    HeaderDrift.NONE);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LedgerBatch.class);

    private final List<Entry> entries = new ArrayList<>();
    private final Clock clock;
    private long lastFileId;
    private Instant lastIngestedAt;

    public LedgerBatch(LedgerPosition position, Clock clock) {
        this.lastFileId = position.lastFileId();
        this.lastIngestedAt = position.lastIngestedAt();
        this.clock = clock;
    }

    /**
     * Accounts for one landed file of the load, from the ledger's earlier entries of its name (file id
     * order, vanished ones left out): skips a file the ledger holds, records a re-delivery or a refusal,
     * or stages the file and records what reading it gave. The rule every engine applies, so that all
     * engines account for files alike (docs/semantics.md §1): content identity is the SHA-256 of the
     * bytes, a name's version counts its entries that were not re-deliveries, and a re-delivery carries
     * the version of the entry whose content it repeats.
     */
    public FileOutcome account(LandedFile file, List<LedgerEntry> earlier, FileStaging staging) throws Exception {
        LedgerEntry original = null;
        int versions = 0;
        for (LedgerEntry known : earlier) {
            if (file.contentHash().equals(known.contentHash())) {
                if (known.size() == file.size() && known.lastModified().equals(Ledger.micros(file.lastModified()))) {
                    return new FileOutcome.AlreadyRecorded(known.fileId());
                }
                original = original == null ? known : original;
            }
            if (known.status() != FileStatus.REDELIVERED) {
                versions++;
            }
        }
        if (original != null) {
            long originalId = original.fileId();
            return new FileOutcome.Redelivered(record(file, FileStatus.REDELIVERED, 0, 0, null, original.version(),
                    originalId, CheckCounts.NONE), originalId);
        }
        int version = versions + 1;
        if (file.refusal() != null) {
            return new FileOutcome.Refused(record(file, FileStatus.REFUSED, 0, 0, file.refusal(), version, null, CheckCounts.NONE), file.refusal());
        }
        long fileId = lastFileId + 1;
        FileStaging.Staged staged = staging.stage(file, fileId);
        FaultPoint.AFTER_STAGE.reached();
        if (staged instanceof FileStaging.Staged.Vanished) {
            return new FileOutcome.Vanished(record(file, FileStatus.VANISHED, 0, 0, "the file was gone when it was to be read",
                    version, null, CheckCounts.NONE));
        }
        if (staged instanceof FileStaging.Staged.AddsColumns adds) {
            // Not recorded: the file is read again once the tables have its columns, under the file id it would have had.
            return new FileOutcome.Deferred("its header adds column '" + String.join("', '", adds.columns())
                    + "'; it is loaded once the tables have them", adds.columns());
        }
        if (staged instanceof FileStaging.Staged.Refused refused) {
            // A file can be refused after some of its rows were staged (a gzip stream cut short): none may load.
            staging.unstage(fileId);
            return new FileOutcome.Refused(record(file, FileStatus.REFUSED, 0, 0, refused.reason(), version, null, refused.checks()), refused.reason(),
                    refused.checks());
        }
        ReadSummary summary = ((FileStaging.Staged.Read) staged).summary();
        if (!file.contentHash().equals(summary.contentHash())) {
            staging.unstage(fileId);
            return new FileOutcome.ChangedWhileRead("its content changed while it was read");
        }
        if (version > 1) {
            LOG.info("{} has new content: loading it as version {} of that file", file.name(), version);
        }
        FileStatus status = summary.rowsRejected() == 0 ? FileStatus.LOADED : FileStatus.LOADED_WITH_REJECTS;
        record(file, status, summary.rowsAccepted(), summary.rowsRejected(), summary.firstError(), version, null,
                summary.checks(), summary.drift());
        return new FileOutcome.Loaded(fileId, summary.rowsAccepted(), summary.rowsRejected(), summary.firstError(),
                summary.checks(), summary.drift());
    }

    /** Records an entry and returns its file id. */
    private long record(LandedFile file, FileStatus status, long loaded, long rejected, String firstError, int version,
            Long originalFileId, CheckCounts checks) {
        return record(file, status, loaded, rejected, firstError, version, originalFileId, checks, HeaderDrift.NONE);
    }

    private long record(LandedFile file, FileStatus status, long loaded, long rejected, String firstError, int version,
            Long originalFileId, CheckCounts checks, HeaderDrift drift) {
        Instant ingestedAt = Ledger.micros(clock.instant());
        if (lastIngestedAt != null && !ingestedAt.isAfter(lastIngestedAt)) {
            ingestedAt = lastIngestedAt.plus(1, ChronoUnit.MICROS);
        }
        lastIngestedAt = ingestedAt;
        lastFileId++;
        entries.add(new Entry(file, lastFileId, status, loaded, rejected, firstError, ingestedAt, version, originalFileId,
                checks, drift));
        return lastFileId;
    }

    /** Where the ledger stands once the batch is written. */
    public LedgerPosition position() {
        return new LedgerPosition(lastFileId, lastIngestedAt);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
