package dev.changepipe.error;

import java.util.OptionalLong;

/**
 * The warehouse is open in another process that holds it exclusively (DuckDB lets one process open a file). Typed so
 * that a caller that can wait for the holder ({@code run} behind a one-off {@code query}) does so without reading the
 * message; everyone else sees a user error naming the holder.
 */
public final class WarehouseInUseException extends ChangepipeException {
    private final String warehouse;
    private final OptionalLong holderPid;

    public WarehouseInUseException(String warehouse, OptionalLong holderPid, Throwable cause) {
        super(ErrorCategory.USER_ERROR, "warehouse " + warehouse + " is in use by "
                + (holderPid.isPresent() ? "process " + holderPid.getAsLong() : "another process")
                + " (one process at a time may open it); try again once that process has closed it", cause);
        this.warehouse = warehouse;
        this.holderPid = holderPid;
    }

    /** The warehouse as the spec names it. */
    public String warehouse() {
        return warehouse;
    }

    /** The process that holds it, when the engine could tell. */
    public OptionalLong holderPid() {
        return holderPid;
    }
}
