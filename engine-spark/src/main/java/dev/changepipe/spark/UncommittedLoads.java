package dev.changepipe.spark;

import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a load that did not reach its commit point leaves behind, and its removal. A load appends raw rows,
 * then rejects, then its ledger entries (the commit point); raw rows or rejects of file ids after the
 * ledger's last one belong to no committed load. They are removed before the engine loads or runs a task:
 * once when it opens an existing pipeline, and again after any load that began writing and did not finish.
 * Between those moments there is nothing to look for, so a load pays for no query.
 */
final class UncommittedLoads {
    private static final Logger LOG = LoggerFactory.getLogger(UncommittedLoads.class);

    private final PipelineTables tables;
    private final SparkLedger ledger;
    /** Whether raw rows or rejects of file ids the ledger does not hold may exist. */
    private volatile boolean mayExist = true;

    UncommittedLoads(PipelineTables tables, SparkLedger ledger) {
        this.tables = tables;
        this.ledger = ledger;
    }

    /** A pipeline whose tables were just created holds nothing a load left. */
    void noneInNewTables() {
        mayExist = false;
    }

    /** A load is about to write: until {@link #committed()}, what it writes belongs to no committed load. */
    void writing() {
        mayExist = true;
    }

    /** The load's ledger entries are appended: everything it wrote is committed. */
    void committed() {
        mayExist = false;
    }

    /**
     * Removes raw rows and rejects of file ids after the ledger's last one, when any may exist. The ledger is
     * read again first: a failed append may still have committed, and then its entries are the ledger's.
     */
    void removeIfAny() {
        if (!mayExist) {
            return;
        }
        ledger.reload();
        long last = ledger.lastFileId();
        Row written = tables.rows("SELECT (SELECT max(_file_id) FROM %s), (SELECT max(_file_id) FROM %s)"
                .formatted(tables.text("raw"), tables.text("rejects"))).get(0);
        String[] tableFragments = {"raw", "rejects"};
        for (int i = 0; i < tableFragments.length; i++) {
            if (!written.isNullAt(i) && written.getLong(i) > last) {
                String table = tables.text(tableFragments[i]);
                LOG.warn("removing rows of file ids after {} from {}: a load that did not commit left them", last, table);
                tables.write("DELETE FROM " + table + " WHERE _file_id > ?", last);
            }
        }
        mayExist = false;
    }
}
