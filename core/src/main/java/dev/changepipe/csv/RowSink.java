package dev.changepipe.csv;

/** Receives the rows of one landed file as they are read, in file order. */
public interface RowSink {
    /** A row that parsed and typed; {@code values} follow the spec's column order and may be reused by the caller after return. */
    void accept(long line, Object[] values) throws Exception;

    /** A row that did not; it goes to the rejects table. */
    void reject(RejectedRow row) throws Exception;
}
