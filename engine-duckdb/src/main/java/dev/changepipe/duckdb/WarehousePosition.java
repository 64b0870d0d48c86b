package dev.changepipe.duckdb;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the warehouse's bookkeeping stands: the ledger's last file id and ingestion time, the change
 * feed's last commit version, and the tasks' offsets. The engine reads it once and moves it after each
 * of its own commits instead of asking DuckDB before every task: the engine's process is the only
 * writer of its warehouse (DuckDB locks the file), so nothing else moves it.
 *
 * @param lastIngestedAt null while the ledger is empty
 */
record WarehousePosition(long lastFileId, Instant lastIngestedAt, long lastVersion, Map<String, Long> offsets) {

    WarehousePosition {
        offsets = Map.copyOf(offsets);
    }

    long offset(String consumer) {
        return offsets.getOrDefault(consumer, 0L);
    }

    WarehousePosition afterLoad(long fileId, Instant ingestedAt) {
        return new WarehousePosition(fileId, ingestedAt, lastVersion, offsets);
    }

    WarehousePosition afterTask(String consumer, long offset, long version) {
        Map<String, Long> moved = new HashMap<>(offsets);
        moved.put(consumer, offset);
        return new WarehousePosition(lastFileId, lastIngestedAt, version, moved);
    }
}
