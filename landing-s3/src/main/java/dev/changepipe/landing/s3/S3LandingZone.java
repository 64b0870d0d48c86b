package dev.changepipe.landing.s3;

import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.landing.LandingUnavailableException;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.landing.s3.BucketClient.FetchedObject;
import dev.changepipe.landing.s3.BucketClient.ListedObject;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.RecordedFile;
import dev.changepipe.ledger.RecordedFiles;
import dev.changepipe.spec.Durations;
import dev.changepipe.spec.Landing;
import dev.changepipe.spec.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A landing zone in a bucket: lists the prefix every {@code s3.list_every}, and hands out each new or
 * changed object as a local copy in a spool folder, which is deleted once its load has committed.
 *
 * <p>An object is known by its key and version (ETag, size, last-modified in whole seconds): a key
 * overwritten, with new content or with the same, is handed out again; an object version whose key, ETag,
 * size and last-modified the ledger already holds from an earlier run is not even downloaded. Core's ledger
 * rule decides what an object handed out is (docs/semantics.md §1.2): new content loads as a new version,
 * the same content uploaded again is recorded as a re-delivery, as a file delivered again into a folder is,
 * and a download too many never loads anything twice.
 *
 * <p>Objects are atomic in a store: one appears whole when its upload completes, so nothing is ever
 * "still being written" here and {@code schedule.settle} does not apply.
 */
public final class S3LandingZone implements LandingZone {
    private static final Logger LOG = LoggerFactory.getLogger(S3LandingZone.class);
    /** A call hands out at most this many objects, or this many bytes, so that the spool stays small; the rest follow. */
    static final int MAX_FILES = 1000;
    static final long MAX_BYTES = 256L << 20;
    /** Downloads in flight at once: a store's latency, not bandwidth, limits a sequence of small objects. */
    private static final int PARALLEL_FETCHES = 8;

    private final Engine engine;
    private final BucketClient bucket;
    private final Duration listEvery;
    private final Clock clock;
    private final PathMatcher matcher;
    private final Path spool;
    private final ExecutorService fetchers;
    /** The version of each key whose load committed, or that was recorded otherwise. */
    private final Map<String, ObjectVersion> handled = new HashMap<>();
    /** Objects downloaded and handed out, not yet marked handled, by key. */
    private final Map<String, Spooled> spooled = new HashMap<>();
    /**
     * The object versions the ledger held when the first listing was made, their times in whole seconds;
     * consulted once, for the objects of that listing.
     */
    private Set<RecordedFile> recordedAtStart;
    private Instant nextListing;
    private long spoolSequence;

    /** What tells two versions of a key apart; the time in whole seconds (see {@link #modified}). */
    private record ObjectVersion(String etag, long size, Instant lastModified) {
        ObjectVersion {
            lastModified = modified(lastModified);
        }
    }

    /**
     * An object's modification time as the zone compares it and hands it out, so as the ledger records it:
     * in whole seconds. Stores such as MinIO list modification times with milliseconds and send whole seconds
     * with a download (an HTTP date); AWS S3 has whole seconds in both. Compared as they come, a listed
     * version would never equal a fetched one, nor, after a restart, the one the ledger holds.
     */
    static Instant modified(Instant lastModified) {
        return lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
    }

    private record Spooled(ObjectVersion version, LandedFile file) {}

    private S3LandingZone(PipelineSpec spec, Engine engine, BucketClient bucket, Duration listEvery, Clock clock, Path spool) {
        this.engine = engine;
        this.bucket = bucket;
        this.listEvery = listEvery;
        this.clock = clock;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + spec.pattern());
        this.spool = spool;
        this.nextListing = clock.instant();
        this.fetchers = Executors.newFixedThreadPool(PARALLEL_FETCHES, task -> {
            Thread t = new Thread(task, "changepipe-s3-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the spec's bucket landing zone with credentials from the AWS provider chain. */
    public static S3LandingZone open(PipelineSpec spec, Engine engine, Clock clock) {
        return open(spec, engine, clock, DefaultCredentialsProvider.builder().build());
    }

    /**
     * Opens the spec's bucket landing zone and checks, once, that it can be listed: an endpoint that does
     * not answer, refused credentials or a missing bucket stop here with one line naming the bucket and
     * the endpoint. Later, while running, the same transient failures are retried instead.
     */
    public static S3LandingZone open(PipelineSpec spec, Engine engine, Clock clock, AwsCredentialsProvider credentials) {
        if (!(spec.landingZone() instanceof Landing.Bucket landing)) {
            throw new IllegalArgumentException("pipeline " + spec.name() + " does not land its files in a bucket");
        }
        BucketClient bucket = BucketClient.open(landing.uri(), landing.settings(), credentials);
        try {
            bucket.check();
            // A warehouse at a URI (s3a://, hdfs://) has no local folder: the copies then wait in the temp folder.
            Path spool = (spec.engine().isUri() ? Path.of(System.getProperty("java.io.tmpdir"), "changepipe-s3-spool")
                    : spec.engine().path().resolve("s3-spool")).resolve(spec.name());
            clear(spool);
            LOG.info("landing zone {}: listing every {}", bucket.where(), Durations.format(landing.settings().listEvery()));
            return new S3LandingZone(spec, engine, bucket, landing.settings().listEvery(), clock, spool);
        } catch (RuntimeException e) {
            bucket.close();
            throw e;
        }
    }

    /** The spool folder, empty: copies left by a process that was killed are of no use, their objects are fetched again. */
    private static void clear(Path spool) {
        try {
            Files.createDirectories(spool);
            try (Stream<Path> files = Files.list(spool)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw ChangepipeException.external("cannot prepare the spool folder " + spool + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String location() {
        return bucket.where();
    }

    /** Where downloaded objects wait for their load. */
    public Path spool() {
        return spool;
    }

    @Override
    public List<LandedFile> readyFiles() {
        nextListing = clock.instant().plus(listEvery);
        List<ListedObject> listed;
        try {
            listed = bucket.list();
        } catch (SdkException e) {
            throw failure("cannot list the objects", e);
        }
        List<ListedObject> fresh = newObjects(listed);
        LOG.debug("{}: {} objects listed, {} to fetch", bucket.where(), listed.size(), fresh.size());
        return fetch(fresh);
    }

    /**
     * The listed objects matching the pattern whose current version was not handled, oldest first, cut to
     * what one call hands out. Package-private: a test lets an object vanish between listing and fetching.
     */
    List<ListedObject> newObjects(List<ListedObject> listed) {
        if (recordedAtStart == null) {
            recordedAtStart = recordedInLedger();
        }
        List<ListedObject> fresh = new ArrayList<>();
        for (ListedObject object : listed) {
            if (!matches(object.name())) {
                continue;
            }
            ObjectVersion version = new ObjectVersion(object.etag(), object.size(), object.lastModified());
            if (version.equals(handled.get(object.key()))) {
                continue;
            }
            if (recordedAtStart.contains(new RecordedFile(bucket.uri().locationOf(object.key()), object.etag(), object.size(),
                    version.lastModified()))) {
                handled.put(object.key(), version);
                continue;
            }
            fresh.add(object);
        }
        // Every object of the first listing has now been checked against the ledger; later ones are new.
        recordedAtStart = Set.of();
        fresh.sort(Comparator.comparing(ListedObject::lastModified).thenComparing(ListedObject::name));
        List<ListedObject> cut = new ArrayList<>();
        long bytes = 0;
        for (ListedObject object : fresh) {
            if (!cut.isEmpty() && (cut.size() == MAX_FILES || bytes + object.size() > MAX_BYTES)) {
                break;
            }
            cut.add(object);
            bytes += object.size();
        }
        return cut;
    }

    /**
     * The object versions the ledger holds of this prefix, their times in whole seconds as the listing's are
     * compared. Only a saving: should an engine not answer, every object is fetched once more and the ledger,
     * which decides what loads, still loads each once and records none twice.
     */
    private Set<RecordedFile> recordedInLedger() {
        String prefix = bucket.uri().locationOf(bucket.uri().keyPrefix());
        try {
            Set<RecordedFile> recorded = new HashSet<>();
            for (RecordedFile file : RecordedFiles.under(engine, prefix)) {
                recorded.add(new RecordedFile(file.location(), file.etag(), file.size(), modified(file.lastModified())));
            }
            LOG.debug("the ledger holds {} objects of {}", recorded.size(), bucket.uri());
            return recorded;
        } catch (RuntimeException e) {
            LOG.warn("cannot read which objects of {} the ledger holds ({}); fetching each once more to compare",
                    bucket.uri(), e.getMessage());
            return Set.of();
        }
    }

    private boolean matches(String name) {
        try {
            return matcher.matches(Path.of(name));
        } catch (InvalidPathException e) {
            LOG.warn("{}: skipped object {}: its name cannot be a file name", bucket.where(), name);
            return false;
        }
    }

    /** Downloads the objects (reusing copies already spooled) in parallel; the files in the objects' order. */
    List<LandedFile> fetch(List<ListedObject> objects) {
        List<Future<LandedFile>> downloads = new ArrayList<>();
        for (ListedObject object : objects) {
            Spooled copy;
            synchronized (spooled) {
                copy = spooled.get(object.key());
            }
            ObjectVersion listed = new ObjectVersion(object.etag(), object.size(), object.lastModified());
            if (copy != null && copy.version().equals(listed)) {
                downloads.add(CompletableFuture.completedFuture(copy.file()));
                continue;
            }
            if (copy != null) {
                forget(object.key());
            }
            Path target = spool.resolve(++spoolSequence + "_" + object.name().replaceAll("[^A-Za-z0-9._-]", "_"));
            downloads.add(fetchers.submit(() -> fetchOne(object, target)));
        }
        List<LandedFile> files = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<LandedFile> download : downloads) {
            try {
                files.add(download.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new LandingUnavailableException(bucket.where() + ": fetching failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LandingUnavailableException(bucket.where() + ": interrupted while fetching objects", e);
            }
        }
        if (failure != null) {
            // The copies that did arrive stay spooled and are handed out with the rest on the next call.
            throw failure;
        }
        return files;
    }

    private LandedFile fetchOne(ListedObject object, Path target) {
        String location = bucket.uri().locationOf(object.key());
        Optional<FetchedObject> fetched;
        try {
            fetched = bucket.fetch(object.key(), target);
        } catch (SdkException e) {
            deleteQuietly(target);
            if (bucket.isTransient(e) || !bucket.concernsOneObject(e)) {
                // Credentials, clock skew and the like would refuse every object: the pipeline stops (or
                // retries) instead of recording good objects as refused.
                throw failure("cannot fetch " + object.key(), e);
            }
            // One object the store will not hand out (its own permissions, a key it cannot decrypt) is refused
            // and recorded, as an unreadable file in a folder is; the others go on. It is tried again once it changes.
            ObjectVersion version = new ObjectVersion(object.etag(), object.size(), object.lastModified());
            LandedFile refused = new LandedFile(object.name(), target, object.size(), version.lastModified(),
                    sha256("refused:" + location + ":" + object.etag()), "the store would not hand it out: "
                            + bucket.reason(e), location, object.etag());
            synchronized (spooled) {
                spooled.put(object.key(), new Spooled(version, refused));
            }
            return refused;
        } catch (IOException e) {
            deleteQuietly(target);
            throw new LandingUnavailableException(bucket.where() + ": fetching " + object.key() + " broke off ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        LandedFile file;
        ObjectVersion version;
        if (fetched.isEmpty()) {
            // Gone between listing and fetching: handed out with a path that does not exist, so that the
            // engine records it as vanished (and loads it should it come back).
            deleteQuietly(target);
            version = new ObjectVersion(object.etag(), object.size(), object.lastModified());
            file = new LandedFile(object.name(), target, object.size(), version.lastModified(),
                    sha256("vanished:" + location + ":" + object.etag()), null, location, object.etag());
        } else {
            // What was fetched is what loads: its version may be newer than the listing's.
            FetchedObject got = fetched.get();
            version = new ObjectVersion(got.etag(), got.size(), got.lastModified());
            file = new LandedFile(object.name(), target, got.size(), version.lastModified(), got.sha256(), null, location,
                    got.etag());
        }
        synchronized (spooled) {
            spooled.put(object.key(), new Spooled(version, file));
        }
        return file;
    }

    /** A failure while running: transient ones are retried by the caller, the others stop the pipeline. */
    private ChangepipeException failure(String doing, SdkException e) {
        String message = bucket.failure(doing, e);
        return bucket.isTransient(e) ? new LandingUnavailableException(message, e) : ChangepipeException.user(message);
    }

    @Override
    public void markHandled(LandedFile file) {
        String key = file.location().substring(bucket.uri().locationOf("").length());
        Spooled copy;
        synchronized (spooled) {
            copy = spooled.remove(key);
        }
        if (copy != null) {
            handled.put(key, copy.version());
            deleteQuietly(copy.file().path());
        }
    }

    private void forget(String key) {
        Spooled copy;
        synchronized (spooled) {
            copy = spooled.remove(key);
        }
        if (copy != null) {
            deleteQuietly(copy.file().path());
        }
    }

    @Override
    public boolean hasSettlingFiles() {
        return false;
    }

    @Override
    public Duration untilFirstSettled() {
        return Duration.ZERO;
    }

    /** Sleeps until the next listing is due (true) or {@code timeout} passes (false): a bucket sends no events. */
    @Override
    public boolean awaitChange(Duration timeout) throws InterruptedException {
        Duration untilListing = Duration.between(clock.instant(), nextListing);
        if (untilListing.compareTo(timeout) > 0) {
            Thread.sleep(Math.max(1, timeout.toMillis()));
            return false;
        }
        if (!untilListing.isNegative()) {
            Thread.sleep(untilListing.toMillis());
        }
        return true;
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
        bucket.close();
        synchronized (spooled) {
            spooled.values().forEach(copy -> deleteQuietly(copy.file().path()));
            spooled.clear();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the spooled copy {}: {}", file, e.getMessage());
        }
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(BucketClient.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "S3LandingZone[" + bucket.where() + "]";
    }
}
