package dev.changepipe.ledger;

import dev.changepipe.csv.CheckCounts;
import dev.changepipe.csv.ReadSummary;
import java.util.List;

/** How an engine reads one file of a load into its staging area, and takes it out again. */
public interface FileStaging {

    /** What reading a file into the staging area gave. */
    sealed interface Staged {
        /** Read through; its rows and rejects are staged. */
        record Read(ReadSummary summary) implements Staged {}

        /**
         * Refused while it was read (its rows may be partly staged); {@code reason} names file, line or field;
         * {@code checks} the quality check that refused it, if one did.
         */
        record Refused(String reason, CheckCounts checks) implements Staged {
            public Refused(String reason) {
                this(reason, CheckCounts.NONE);
            }
        }

        /** The file was gone when it was to be read. */
        record Vanished() implements Staged {}

        /** Not read: its header has {@code columns} the tables lack, under {@code schema.new_columns: add} (rule 1.10). */
        record AddsColumns(List<String> columns) implements Staged {
            public AddsColumns {
                columns = List.copyOf(columns);
            }
        }
    }

    /** Reads the file's rows and rejects into staging under {@code fileId}. */
    Staged stage(LandedFile file, long fileId) throws Exception;

    /** Removes what {@link #stage} staged under {@code fileId}. */
    void unstage(long fileId) throws Exception;
}
