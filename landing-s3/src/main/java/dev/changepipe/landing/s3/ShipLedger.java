package dev.changepipe.landing.s3;

import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code ship} has uploaded from one folder: a small append-only file of lines
 * {@code started|shipped <TAB> sha256 <TAB> s3://bucket/key}, forced to disk line by line, so that a
 * restart knows what went out. A file is identified as the pipeline's ledger does it: by where it goes
 * (its name) and its content. The file is locked while a shipper runs: one shipper per folder.
 */
final class ShipLedger implements AutoCloseable {
    /** Inside the shipped folder, hidden, so that no pattern takes it for a file to ship. */
    static final String FOLDER = ".changepipe-ship";
    private static final String STARTED = "started";
    private static final String SHIPPED = "shipped";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Set<Entry> started = new HashSet<>();
    private final Set<Entry> shipped = new HashSet<>();

    private record Entry(String sha256, String location) {}

    private ShipLedger(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static ShipLedger open(Path folder) {
        Path file = folder.resolve(FOLDER).resolve("ledger.tsv");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                throw ChangepipeException.user("folder " + folder + " is being shipped by another process (it holds " + file + ")");
            }
            ShipLedger ledger = new ShipLedger(file, channel, lock);
            ledger.read();
            return ledger;
        } catch (IOException e) {
            closeQuietly(channel);
            throw ChangepipeException.external("cannot open the ship ledger " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private void read() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            String[] fields = line.split("\t");
            // A line cut short by a crash has fewer fields; what it began is simply done again.
            if (fields.length >= 3) {
                Entry entry = new Entry(fields[1], unescape(fields[2]));
                (SHIPPED.equals(fields[0]) ? shipped : started).add(entry);
            }
        }
    }

    boolean isShipped(String sha256, String location) {
        return shipped.contains(new Entry(sha256, location));
    }

    /** Whether an upload of this content to this location began and was never confirmed: it may or may not have arrived. */
    boolean wasStarted(String sha256, String location) {
        return started.contains(new Entry(sha256, location));
    }

    void started(String sha256, String location) throws IOException {
        append(STARTED + "\t" + sha256 + "\t" + escape(location));
        started.add(new Entry(sha256, location));
    }

    void shipped(String sha256, String location) throws IOException {
        append(SHIPPED + "\t" + sha256 + "\t" + escape(location) + "\t" + Instant.now());
        shipped.add(new Entry(sha256, location));
    }

    private void append(String line) throws IOException {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
    }

    /** Tabs and line breaks can be part of a file name; they must not split a line. */
    private static String escape(String text) {
        return text.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String text) {
        return text.replace("%0D", "\r").replace("%0A", "\n").replace("%09", "\t").replace("%25", "%");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
        }
    }
}
