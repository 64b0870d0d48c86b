package dev.changepipe.landing;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.ledger.LandedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local landing zone: finds files matching the pattern that are ready to load.
 *
 * <p>A file is ready once it has not been modified for the settle time, so a file still being written
 * is not read half-way (every write moves its modification time). Events from the file system wake
 * the pipeline early; the rescan on every call finds whatever events missed.
 */
public final class LandingFolder implements LandingZone {
    private final Path folder;
    private final PathMatcher matcher;
    private final Duration settle;
    private final Clock clock;
    private final WatchService watcher;
    /** Files handed out and loaded, by name, as they were when handed out. */
    private final Map<String, Observation> handled = new HashMap<>();
    /** When the first file still being written becomes ready, if it stays as it is; null when none is. */
    private Instant firstSettled;

    private record Observation(long size, Instant lastModified) {
        boolean sameAs(Observation other) {
            return other != null && size == other.size && lastModified.equals(other.lastModified);
        }
    }

    public LandingFolder(Path folder, String pattern, Duration settle, Clock clock) {
        this.folder = folder;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        this.settle = settle;
        this.clock = clock;
        try {
            Files.createDirectories(folder);
            this.watcher = folder.getFileSystem().newWatchService();
            folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw ChangepipeException.external("landing: cannot watch folder " + folder + ": " + e.getMessage(), e);
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public String location() {
        return folder.toString();
    }

    /** Files ready to load and not loaded yet in their current form, in (last-modified, name) order. */
    @Override
    public List<LandedFile> readyFiles() {
        Instant now = clock.instant();
        List<Candidate> ready = new ArrayList<>();
        firstSettled = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path path : entries) {
                String name = path.getFileName().toString();
                if (!matcher.matches(path.getFileName())) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                Instant modified = attributes.lastModifiedTime().toInstant();
                Observation current = new Observation(attributes.size(), modified);
                if (current.sameAs(handled.get(name))) {
                    continue;
                }
                if (!modified.plus(settle).isAfter(now)) {
                    ready.add(new Candidate(path, name, current));
                } else {
                    Instant settled = modified.plus(settle);
                    if (firstSettled == null || settled.isBefore(firstSettled)) {
                        firstSettled = settled;
                    }
                }
            }
        } catch (IOException e) {
            throw ChangepipeException.external("landing: cannot list folder " + folder + ": " + e.getMessage(), e);
        }
        ready.sort(Comparator.comparing((Candidate c) -> c.observation.lastModified()).thenComparing(c -> c.name));
        List<LandedFile> files = new ArrayList<>();
        for (Candidate candidate : ready) {
            try {
                files.add(landed(candidate));
            } catch (NoSuchFileException gone) {
                // Deleted between listing and reading: it was never ready, nothing to account for.
            }
        }
        return files;
    }

    /** A ready file, or one the landing zone refuses: a link leading out of the folder, or a file it cannot read. */
    private LandedFile landed(Candidate candidate) throws NoSuchFileException {
        Path path = candidate.path;
        Observation seen = candidate.observation;
        try {
            if (Files.isSymbolicLink(path)) {
                Path target = path.toRealPath();
                if (!target.startsWith(folder.toRealPath())) {
                    return new LandedFile(candidate.name, path, seen.size(), seen.lastModified(),
                            sha256(target.toString()), "a symbolic link to " + target
                                    + ", outside the landing folder");
                }
            }
            return new LandedFile(candidate.name, path, seen.size(), seen.lastModified(), sha256(path));
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            // Recorded as refused; a later change of the file (a new modification time) hands it out again.
            return new LandedFile(candidate.name, path, seen.size(), seen.lastModified(),
                    sha256("unreadable:" + candidate.name + ":" + seen.lastModified()), "cannot read the file: " + e);
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Candidate(Path path, String name, Observation observation) {}

    /** Remembers that {@code file} was loaded (or refused) as it is now, so it is not handed out again unless it changes. */
    @Override
    public void markHandled(LandedFile file) {
        handled.put(file.name(), new Observation(file.size(), file.lastModified()));
    }

    /** Whether the last {@link #readyFiles()} saw files still being written. */
    @Override
    public boolean hasSettlingFiles() {
        return firstSettled != null;
    }

    /** How long until the first file still being written is ready if it does not change; zero when none is settling. */
    @Override
    public Duration untilFirstSettled() {
        return firstSettled == null ? Duration.ZERO : max(Duration.between(clock.instant(), firstSettled), Duration.ofMillis(1));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Waits until the file system reports a change in the folder or {@code timeout} passes; true on a change. */
    @Override
    public boolean awaitChange(Duration timeout) throws InterruptedException {
        try {
            WatchKey key = watcher.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            if (key == null) {
                return false;
            }
            key.pollEvents();
            key.reset();
            return true;
        } catch (ClosedWatchServiceException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path path) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
