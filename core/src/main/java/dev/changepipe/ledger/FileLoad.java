package dev.changepipe.ledger;

import java.util.List;

/**
 * One load as an engine carries it out: core stages the files it decided to read ({@link FileStaging}), then
 * hands over the ledger entries, and the engine writes the staged rows, rejects and entries and commits them
 * as one. Closing a load that did not commit discards what it staged.
 */
public interface FileLoad extends FileStaging, AutoCloseable {

    /**
     * Writes the staged rows and rejects and {@code entries}, in file id order, and commits them: all or nothing
     * (on an engine without multi-table transactions the entries are written last and are the commit point).
     */
    void commit(List<LedgerBatch.Entry> entries) throws Exception;

    @Override
    void close() throws Exception;
}
