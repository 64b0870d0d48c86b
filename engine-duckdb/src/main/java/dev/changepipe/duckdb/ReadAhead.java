package dev.changepipe.duckdb;

import dev.changepipe.csv.ChangeFileReader;
import dev.changepipe.csv.FileRefusedException;
import dev.changepipe.csv.HeaderAddsColumnsException;
import dev.changepipe.csv.ReadSummary;
import dev.changepipe.csv.RejectedRow;
import dev.changepipe.csv.RowSink;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads a landed file on a helper thread while the caller appends what has been read: parsing and
 * typing (Java) and DuckDB's appender (native) each keep a core busy instead of taking turns. Rows and
 * rejects reach the caller in file order, exactly as a direct read would hand them over, and the read's
 * outcome (its summary, or the exception it threw) is the caller's.
 */
final class ReadAhead implements AutoCloseable {
    private static final int CHUNK = 1024;
    private static final int CHUNKS_AHEAD = 8;
    /** Ends the stream of chunks of one read, whatever its outcome. */
    private static final List<Object> END = List.of();

    /** An accepted row; its values are a copy, since the reader reuses its array. */
    private record Row(long line, Object[] values) {}

    /** What the caller does with each row and reject, on its own thread. */
    interface Target {
        void accept(long line, Object[] values) throws SQLException;

        void reject(RejectedRow row) throws SQLException;
    }

    private final ChangeFileReader reader;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "changepipe-read-ahead");
        t.setDaemon(true);
        return t;
    });

    ReadAhead(ChangeFileReader reader) {
        this.reader = reader;
    }

    ReadSummary read(Path file, String name, Target target)
            throws IOException, FileRefusedException, HeaderAddsColumnsException, SQLException {
        BlockingQueue<List<Object>> chunks = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        Stop stop = new Stop();
        Future<ReadSummary> reading = thread.submit(() -> {
            Chunker chunker = new Chunker(chunks, stop);
            try {
                ReadSummary summary = reader.read(file, name, chunker);
                chunker.flush();
                return summary;
            } finally {
                chunker.put(END);
            }
        });
        try {
            for (List<Object> chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                for (Object item : chunk) {
                    if (item instanceof Row row) {
                        target.accept(row.line(), row.values());
                    } else {
                        target.reject((RejectedRow) item);
                    }
                }
            }
        } catch (InterruptedException e) {
            stopReading(reading, chunks, stop);
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading " + name, e);
        } catch (SQLException | RuntimeException e) {
            stopReading(reading, chunks, stop);
            throw e;
        }
        try {
            return reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading " + name, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof FileRefusedException refused) {
                throw refused;
            }
            if (cause instanceof HeaderAddsColumnsException adds) {
                throw adds;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("reading " + name + " failed: " + cause, cause);
        }
    }

    /** The helper must not stay blocked on a full queue: tells it to stop and waits until it has. */
    private static void stopReading(Future<ReadSummary> reading, BlockingQueue<List<Object>> chunks, Stop stop) {
        stop.requested = true;
        chunks.clear();
        try {
            reading.get();
        } catch (ExecutionException | CancellationException | InterruptedException ignored) {
            // The caller's failure is the one to report.
        }
    }

    private static final class Stop {
        volatile boolean requested;
    }

    /** The reader's sink on the helper thread: collects rows and rejects into chunks and queues them. */
    private static final class Chunker implements RowSink {
        private final BlockingQueue<List<Object>> chunks;
        private final Stop stop;
        private List<Object> chunk = new ArrayList<>(CHUNK);

        Chunker(BlockingQueue<List<Object>> chunks, Stop stop) {
            this.chunks = chunks;
            this.stop = stop;
        }

        @Override
        public void accept(long line, Object[] values) throws InterruptedException {
            add(new Row(line, values.clone()));
        }

        @Override
        public void reject(RejectedRow row) throws InterruptedException {
            add(row);
        }

        private void add(Object item) throws InterruptedException {
            chunk.add(item);
            if (chunk.size() == CHUNK) {
                flush();
            }
        }

        void flush() throws InterruptedException {
            if (!chunk.isEmpty()) {
                put(chunk);
                chunk = new ArrayList<>(CHUNK);
            }
        }

        void put(List<Object> item) throws InterruptedException {
            if (stop.requested) {
                throw new CancellationException("the load stopped");
            }
            while (!chunks.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (stop.requested) {
                    throw new CancellationException("the load stopped");
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
