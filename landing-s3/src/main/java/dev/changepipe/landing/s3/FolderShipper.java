package dev.changepipe.landing.s3;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.landing.s3.BucketClient.ContentChangedException;
import dev.changepipe.ledger.LandedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Apache NiFi's leg of the original flow (ListFile, FetchFile, PutS3Object): uploads every new file of a
 * local folder into a bucket prefix exactly once, then deletes, archives or keeps the local copy.
 *
 * <p>A file is taken once it has settled (as the landing folder takes it) and never when its name starts
 * with a dot, the usual mark of a file still being written under a temporary name. The upload is checked
 * against the content that was hashed; the local copy is touched only after the store confirmed the upload.
 * Its own ledger ({@link ShipLedger}) makes a restart upload nothing twice.
 */
public final class FolderShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderShipper.class);
    private static final int ATTEMPTS = 4;
    static final String ARCHIVE_FOLDER = "archive";

    /** What happens to a local file once its upload is confirmed. */
    public enum After {
        DELETE, ARCHIVE, KEEP;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A file that reached the bucket in this run. */
    public record Shipped(String name, String location, long size, Instant at) {}

    private final Path folder;
    private final BucketClient bucket;
    private final After after;
    private final Clock clock;
    private final LandingFolder landing;
    private final ShipLedger ledger;
    private final Consumer<Shipped> onShipped;
    private final Duration firstBackoff;

    public FolderShipper(Path folder, String pattern, Duration settle, BucketClient bucket, After after, Clock clock,
            Consumer<Shipped> onShipped) {
        this(folder, pattern, settle, bucket, after, clock, onShipped, Duration.ofMillis(200));
    }

    FolderShipper(Path folder, String pattern, Duration settle, BucketClient bucket, After after, Clock clock,
            Consumer<Shipped> onShipped, Duration firstBackoff) {
        this.folder = folder.toAbsolutePath().normalize();
        this.bucket = bucket;
        this.after = after;
        this.clock = clock;
        this.onShipped = onShipped;
        this.firstBackoff = firstBackoff;
        this.ledger = ShipLedger.open(this.folder);
        try {
            this.landing = new LandingFolder(this.folder, pattern, settle, clock);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /**
     * Ships every file that is ready now; returns what was uploaded.
     *
     * @throws ShipUnavailableException when the store did not answer after retries; nothing was lost,
     *     the files not shipped are still there and in no ledger
     */
    public List<Shipped> shipReady() throws InterruptedException {
        List<Shipped> shipped = new ArrayList<>();
        for (LandedFile file : landing.readyFiles()) {
            if (file.name().startsWith(".")) {
                landing.markHandled(file);
                continue;
            }
            if (file.refusal() != null) {
                LOG.warn("not shipping {}: {}", file.name(), file.refusal());
                landing.markHandled(file);
                continue;
            }
            if (shipOne(file, shipped)) {
                landing.markHandled(file);
            }
        }
        return shipped;
    }

    /** Ships until no file is ready or being written; for a single pass of {@code ship}. */
    public List<Shipped> shipUntilIdle() throws InterruptedException {
        List<Shipped> shipped = new ArrayList<>();
        while (true) {
            List<Shipped> pass = shipReady();
            shipped.addAll(pass);
            if (landing.hasSettlingFiles()) {
                Thread.sleep(landing.untilFirstSettled().toMillis());
            } else if (pass.isEmpty()) {
                return shipped;
            }
        }
    }

    /** Ships when files land and at least every {@code every}, until {@code stop} says so; rides out store outages. */
    public void shipContinuously(Duration every, BooleanSupplier stop) throws InterruptedException {
        Duration backoff = firstBackoff;
        while (!stop.getAsBoolean()) {
            Duration wait = every;
            try {
                List<Shipped> pass = shipReady();
                backoff = firstBackoff;
                if (!pass.isEmpty()) {
                    continue;
                }
                if (landing.hasSettlingFiles()) {
                    wait = landing.untilFirstSettled().compareTo(Duration.ofMillis(250)) < 0
                            ? landing.untilFirstSettled() : Duration.ofMillis(250);
                }
            } catch (ShipUnavailableException e) {
                // A store that does not answer cannot be helped by a file event: wait out the back-off.
                LOG.warn("{}; trying again in {} ms", e.getMessage(), backoff.toMillis());
                Instant until = clock.instant().plus(backoff);
                while (!stop.getAsBoolean() && clock.instant().isBefore(until)) {
                    Thread.sleep(Math.max(1, Math.min(Duration.between(clock.instant(), until).toMillis(), 250)));
                }
                backoff = backoff.multipliedBy(2).compareTo(every) < 0 ? backoff.multipliedBy(2) : every;
                continue;
            }
            Instant until = clock.instant().plus(wait);
            while (!stop.getAsBoolean() && clock.instant().isBefore(until)) {
                Duration left = Duration.between(clock.instant(), until);
                if (landing.awaitChange(left.compareTo(Duration.ofMillis(250)) < 0 ? left : Duration.ofMillis(250))) {
                    break;
                }
            }
        }
    }

    /** Uploads one file unless the ledger says it went out; true when it is done with (shipped before or now). */
    private boolean shipOne(LandedFile file, List<Shipped> shipped) throws InterruptedException {
        String key = bucket.uri().key(file.name());
        String location = bucket.uri().locationOf(key);
        try {
            if (ledger.isShipped(file.contentHash(), location)) {
                // Shipped by an earlier run that stopped before it could delete or archive the file.
                afterUpload(file);
                return true;
            }
            if (ledger.wasStarted(file.contentHash(), location)
                    && bucket.shippedSha256(key).filter(file.contentHash()::equals).isPresent()) {
                LOG.info("{} reached {} before the last run stopped; not uploading it again", file.name(), location);
                ledger.shipped(file.contentHash(), location);
                afterUpload(file);
                return true;
            }
            ledger.started(file.contentHash(), location);
            upload(file, key);
            ledger.shipped(file.contentHash(), location);
        } catch (ContentChangedException e) {
            LOG.info("{} changed while it was uploaded; it is shipped once it settles", file.name());
            return false;
        } catch (IOException e) {
            throw ChangepipeException.external("ship ledger of " + folder + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw bucket.isTransient(e) ? new ShipUnavailableException(bucket.failure("cannot upload " + file.name(), e), e)
                    : ChangepipeException.user(bucket.failure("cannot upload " + file.name(), e));
        }
        Shipped done = new Shipped(file.name(), location, file.size(), clock.instant());
        shipped.add(done);
        onShipped.accept(done);
        afterUpload(file);
        return true;
    }

    /** The upload with retries and back-off; the SDK retries each request a few times already. */
    private void upload(LandedFile file, String key) throws ContentChangedException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                bucket.put(key, file.path(), file.size(), file.contentHash());
                return;
            } catch (SdkException e) {
                if (!bucket.isTransient(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warn("{} (attempt {} of {})", bucket.failure("cannot upload " + file.name(), e), attempt, ATTEMPTS);
                Thread.sleep(firstBackoff.multipliedBy(1L << (2 * (attempt - 1))).toMillis());
            }
        }
    }

    /** Deletes or archives the local file, unless it changed since it was hashed: then it is a new version, shipped later. */
    private void afterUpload(LandedFile file) {
        if (after == After.KEEP) {
            return;
        }
        try {
            BasicFileAttributes now = Files.readAttributes(file.path(), BasicFileAttributes.class);
            if (now.size() != file.size() || !now.lastModifiedTime().toInstant().equals(file.lastModified())) {
                return;
            }
            if (after == After.DELETE) {
                Files.delete(file.path());
            } else {
                Path archive = Files.createDirectories(folder.resolve(ARCHIVE_FOLDER));
                Files.move(file.path(), freeName(archive, file.name()));
            }
        } catch (NoSuchFileException gone) {
            // Someone else removed it; nothing is left to do.
        } catch (IOException e) {
            LOG.warn("{} was shipped but cannot be {}d: {}", file.name(), after, e.getMessage());
        }
    }

    /** {@code name}, or {@code stem~2.ext}, {@code stem~3.ext}… when an archived file already has it. */
    private static Path freeName(Path archive, String name) {
        Path candidate = archive.resolve(name);
        int dot = name.indexOf('.', 1);
        String stem = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = archive.resolve(stem + "~" + n + extension);
        }
        return candidate;
    }

    @Override
    public void close() {
        try {
            landing.close();
        } finally {
            ledger.close();
        }
    }

    /** The store did not answer, after retries; the files wait where they are. */
    public static final class ShipUnavailableException extends ChangepipeException {
        ShipUnavailableException(String message, Throwable cause) {
            super(dev.changepipe.error.ErrorCategory.EXTERNAL_ERROR, message, cause);
        }
    }
}
