package dev.changepipe.ledger;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.HeaderDrift;
import java.util.List;

/** What loading one landed file did. Every file ends in exactly one of these. */
public sealed interface FileOutcome {

    /** The ledger status word stored for this outcome. */
    String status();

    /**
     * Loaded; {@code rowsRejected} rows went to the rejects table, the first with {@code firstError}; {@code checks}
     * the rows that failed each quality check; {@code drift} the columns its header added or lacked.
     */
    record Loaded(long fileId, long rowsLoaded, long rowsRejected, String firstError, CheckCounts checks,
            HeaderDrift drift) implements FileOutcome {
        public Loaded(long fileId, long rowsLoaded, long rowsRejected, String firstError) {
            this(fileId, rowsLoaded, rowsRejected, firstError, CheckCounts.NONE, HeaderDrift.NONE);
        }

        @Override
        public String status() {
            return rowsRejected == 0 ? "loaded" : "loaded_with_rejects";
        }
    }

    /** Refused whole (for example a header without a spec column); nothing was loaded; {@code checks} the refusing check, if any. */
    record Refused(long fileId, String reason, CheckCounts checks) implements FileOutcome {
        public Refused(long fileId, String reason) {
            this(fileId, reason, CheckCounts.NONE);
        }

        @Override
        public String status() {
            return "refused";
        }
    }

    /** The same name with the same content was loaded before as {@code originalFileId}; skipped and recorded. */
    record Redelivered(long fileId, long originalFileId) implements FileOutcome {
        @Override
        public String status() {
            return "redelivered";
        }
    }

    /** The file was gone when it was to be read; recorded, and loaded should it come back. */
    record Vanished(long fileId) implements FileOutcome {
        @Override
        public String status() {
            return "vanished";
        }
    }

    /** The file changed while it was read; nothing was loaded or recorded, and it is taken again once it settles. */
    record ChangedWhileRead(String reason) implements FileOutcome {
        @Override
        public String status() {
            return "changed_while_read";
        }
    }

    /**
     * Not loaded yet, nor recorded: its header adds {@code columnsToAdd} to the tables (rule 1.10), or an earlier file of
     * its load does; it is loaded by a later load, once the tables have them.
     */
    record Deferred(String reason, List<String> columnsToAdd) implements FileOutcome {
        public Deferred {
            columnsToAdd = List.copyOf(columnsToAdd);
        }

        @Override
        public String status() {
            return "deferred";
        }
    }

    /** This very file (name, content and modification time) is already in the ledger; nothing to do. */
    record AlreadyRecorded(long fileId) implements FileOutcome {
        @Override
        public String status() {
            return "already_recorded";
        }
    }
}
