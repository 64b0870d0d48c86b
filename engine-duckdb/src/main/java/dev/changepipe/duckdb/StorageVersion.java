package dev.changepipe.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The storage version number a DuckDB file's header holds: 64 for files every DuckDB since 0.10 reads,
 * 65-68 for the formats of DuckDB 1.2-1.5 (each readable from that release on), and more for DuckDB 2.0's.
 *
 * <p>Read from the header rather than asked of DuckDB, because the header can be read while another process
 * holds the file's lock, and without opening (and so replaying the log of) a file that is to be copied anyway.
 * The header is DuckDB's documented layout: an 8-byte checksum, the magic {@code DUCK}, then the version as
 * a little-endian 64-bit number.
 */
record StorageVersion(long number) {
    /**
     * The format the engine writes: DuckDB's {@code v1.0.0} (number 64), the oldest DuckDB 2.0 writes (asked for
     * v0.10.0, it writes the same). The engine's tables use only types that format has had from the start
     * (integers, DECIMAL, DOUBLE, VARCHAR, BOOLEAN, DATE, TIMESTAMPTZ), and every DuckDB 1.x client opens it, as
     * do 0.10 and 2.0. What the newer formats add is mostly compression: a million mixed rows took 1.1% more
     * space in v1.0.0 than in 2.0's own format (24.1 against 23.9 MB, DuckDB 2.0.0).
     */
    static final String WRITTEN = "v1.0.0";
    static final StorageVersion OLDEST_READABLE = new StorageVersion(64);
    private static final byte[] MAGIC = "DUCK".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 20;

    /** The file's version, or empty when it is not (yet) a DuckDB file: missing, empty, or something else. */
    static Optional<StorageVersion> of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(HEADER_BYTES);
        }
        if (header.length < HEADER_BYTES) {
            return Optional.empty();
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (header[8 + i] != MAGIC[i]) {
                return Optional.empty();
            }
        }
        return Optional.of(new StorageVersion(ByteBuffer.wrap(header, 12, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()));
    }

    /** Whether DuckDB clients from 0.10 on, every 1.x among them, can open a file of this version. */
    boolean readableByEveryClient() {
        return number <= OLDEST_READABLE.number;
    }
}
