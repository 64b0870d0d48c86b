package dev.changepipe.landing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.Offset;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.landing.LandingZones;
import dev.changepipe.landing.s3.BucketClient.ListedObject;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.S3Uri;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;

/** The bucket landing zone against a real S3-compatible server on loopback, loading with the real DuckDB engine. */
class S3LandingZoneIT {
    static final S3Uri LANDING = S3Uri.parse("s3://change-files/landing/people");
    static final String HEADER = "id,name,seq\n";

    @TempDir
    Path dir;

    LoopbackS3 server;
    BucketClient bucket;
    final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = LoopbackS3.start(dir.resolve("store"));
        bucket = server.bucket(LANDING);
    }

    @AfterEach
    void stopServer() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        bucket.close();
        server.close();
    }

    PipelineSpec spec(String landing, String s3Block) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, """
                name: people
                landing: %s
                s3: %s
                pattern: "people_*.csv"
                engine: {type: duckdb, path: warehouse}
                columns: {id: bigint, name: varchar, seq: bigint}
                keys: [id]
                sequence_by: seq
                schedule: {every: 1s}
                """.formatted(landing, s3Block));
        return SpecLoader.load(file);
    }

    PipelineSpec spec() throws Exception {
        return spec(LANDING.toString(), "{endpoint: \"" + server.endpoint() + "\", list_every: 100ms}");
    }

    Engine engine(PipelineSpec spec) {
        Engine engine = Engines.open(spec);
        opened.add(engine);
        engine.prepare();
        return engine;
    }

    S3LandingZone zone(PipelineSpec spec, Engine engine) {
        S3LandingZone zone = S3LandingZone.open(spec, engine, Clock.systemUTC(), LoopbackS3.credentials());
        opened.add(zone);
        return zone;
    }

    void put(String name, String csv) {
        bucket.sdk().putObject(b -> b.bucket(LANDING.bucket()).key(LANDING.key(name)), RequestBody.fromString(csv));
    }

    long count(Engine engine, String sql) {
        return ((Number) engine.query(sql, List.of()).rows().get(0).get(0)).longValue();
    }

    /** The ledger through the engine's typed read: name, location, status, version and rows loaded of each entry. */
    List<List<Object>> ledger(Engine engine) {
        return engine.ledger(LedgerQuery.all()).stream()
                .map(e -> List.<Object>of(e.name(), e.location(), e.status().word(), e.version(), e.rowsLoaded()))
                .toList();
    }

    /** File id, status, version and original file id (null when none) of each ledger entry. */
    List<List<Object>> versions(Engine engine) {
        return engine.ledger(LedgerQuery.all()).stream()
                .map(e -> Arrays.<Object>asList(e.fileId(), e.status().word(), e.version(), e.originalFileId()))
                .toList();
    }

    static List<Object> entry(long fileId, String status, int version, Long originalFileId) {
        return Arrays.asList(fileId, status, version, originalFileId);
    }

    long loadedEntries(Engine engine) {
        return engine.ledger(LedgerQuery.all()).stream().filter(e -> e.status() == FileStatus.LOADED).count();
    }

    /** S3 times have whole seconds: a later upload gets a later one, as it would in life. */
    static void nextSecond() throws InterruptedException {
        Thread.sleep(1100);
    }

    static long spooled(S3LandingZone zone) throws Exception {
        try (Stream<Path> files = Files.list(zone.spool())) {
            return files.count();
        }
    }

    @Test
    void aPrefixOfMoreThanAThousandObjectsIsListedPageByPageAndEveryObjectLoadsOnce() throws Exception {
        int objects = 1500;
        ExecutorService uploads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            int n = i;
            done.add(uploads.submit(() -> put("people_%05d.csv".formatted(n), HEADER + n + ",p" + n + ",1\n")));
        }
        for (Future<?> f : done) {
            f.get();
        }
        uploads.shutdown();
        // Not in the zone: another prefix, a "sub-folder" of it, and a name the pattern does not take.
        put("other.csv", HEADER);
        bucket.sdk().putObject(b -> b.bucket("change-files").key("landing/people/archive/people_1.csv"), RequestBody.fromString(HEADER));
        bucket.sdk().putObject(b -> b.bucket("change-files").key("landing/peoplex/people_1.csv"), RequestBody.fromString(HEADER));
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);

        long started = System.nanoTime();
        List<ListedObject> listed = bucket.list();
        long listMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(listed).hasSize(objects + 1);
        List<LandedFile> first = zone.readyFiles();
        assertThat(first).hasSize(S3LandingZone.MAX_FILES);
        assertThat(first.get(0).location()).startsWith("s3://change-files/landing/people/people_");
        assertThat(first.get(0).path()).startsWith(zone.spool()).exists();

        started = System.nanoTime();
        new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("S3 landing: listing %d objects took %d ms; fetching and loading them %d ms%n", objects + 1,
                listMillis, loadMillis);

        assertThat(count(engine, "SELECT count(*) FROM people_raw")).isEqualTo(objects);
        assertThat(count(engine, "SELECT count(DISTINCT _file) FROM people_raw")).isEqualTo(objects);
        assertThat(engine.ledger(LedgerQuery.all()))
                .allSatisfy(e -> assertThat(e.location()).startsWith("s3://change-files/landing/people/people_"))
                .extracting(LedgerEntry::status).hasSize(objects).containsOnly(FileStatus.LOADED);
        assertThat(count(engine, "SELECT count(*) FROM people")).isEqualTo(objects);
        assertThat(spooled(zone)).isZero();

        // A restart downloads nothing: the ledger says which objects are done.
        zone.close();
        S3LandingZone restarted = zone(spec, engine);
        assertThat(restarted.readyFiles()).isEmpty();
        assertThat(spooled(restarted)).isZero();
    }

    @Test
    void aKeyOverwrittenWithNewContentLoadsAsANewVersionAndTheSameContentAgainIsARedelivery() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        PipelineRunner runner = new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        runner.runUntilIdle();

        nextSecond();
        put("people_1.csv", HEADER + "1,Anna,2\n");
        runner.runUntilIdle();
        nextSecond();
        put("people_1.csv", HEADER + "1,Anna,2\n");
        runner.runUntilIdle();
        runner.runUntilIdle();

        assertThat(ledger(engine)).containsExactly(
                List.of("people_1.csv", "s3://change-files/landing/people/people_1.csv", "loaded", 1, 1L),
                List.of("people_1.csv", "s3://change-files/landing/people/people_1.csv", "loaded", 2, 1L),
                List.of("people_1.csv", "s3://change-files/landing/people/people_1.csv", "redelivered", 2, 0L));
        assertThat(engine.query("SELECT name FROM people", List.of()).rows()).containsExactly(List.of("Anna"));
        assertThat(count(engine, "SELECT count(*) FROM people_history")).isEqualTo(2);
    }

    @Test
    void anObjectUploadedAgainWithItsFirstContentWhileThePipelineRunsIsARedeliveryOfVersionOne() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        PipelineRunner runner = new PipelineRunner(spec, engine, zone(spec, engine), Clock.systemUTC(), PipelineListener.NONE);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        runner.runUntilIdle();
        nextSecond();
        put("people_1.csv", HEADER + "1,Anna,2\n");
        runner.runUntilIdle();
        nextSecond();
        put("people_1.csv", HEADER + "1,Ann,1\n");
        runner.runUntilIdle();
        runner.runUntilIdle();

        // The name's latest version is 2; the re-delivery repeats the content of version 1, file 1.
        assertThat(versions(engine)).containsExactly(entry(1, "loaded", 1, null), entry(2, "loaded", 2, null),
                entry(3, "redelivered", 1, 1L));
        assertThat(engine.query("SELECT name FROM people", List.of()).rows()).containsExactly(List.of("Anna"));
        assertThat(count(engine, "SELECT count(*) FROM people_raw")).isEqualTo(2);
    }

    @Test
    void anObjectUploadedAgainWithItsFirstContentWhileThePipelineIsStoppedIsARedeliveryOfVersionOne() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        PipelineRunner runner = new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        runner.runUntilIdle();
        nextSecond();
        put("people_1.csv", HEADER + "1,Anna,2\n");
        runner.runUntilIdle();
        zone.close();
        opened.remove(engine);
        engine.close();

        // Same bytes, so the same ETag and size as version 1: only the modification time tells this upload apart.
        nextSecond();
        put("people_1.csv", HEADER + "1,Ann,1\n");
        Engine reopened = engine(spec);
        new PipelineRunner(spec, reopened, zone(spec, reopened), Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();

        assertThat(versions(reopened)).containsExactly(entry(1, "loaded", 1, null), entry(2, "loaded", 2, null),
                entry(3, "redelivered", 1, 1L));
        assertThat(reopened.ledger(LedgerQuery.all()).get(2).etag()).isEqualTo(etagOf("people_1.csv"))
                .isEqualTo(reopened.ledger(LedgerQuery.all()).get(0).etag());
        assertThat(reopened.query("SELECT name FROM people", List.of()).rows()).containsExactly(List.of("Anna"));
        assertThat(count(reopened, "SELECT count(*) FROM people_raw")).isEqualTo(2);

        // The re-delivery is an object version the ledger holds: a further restart neither fetches nor records it.
        S3LandingZone again = zone(spec, reopened);
        assertThat(again.readyFiles()).isEmpty();
        assertThat(reopened.ledger(LedgerQuery.all())).hasSize(3);
    }

    @Test
    void aRestartFetchesOnlyObjectsWhoseKeyEtagSizeOrModificationTimeTheLedgerDoesNotHold() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        put("people_2.csv", HEADER + "2,Bob,1\n");
        new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();
        assertThat(engine.ledger(LedgerQuery.all())).extracting(LedgerEntry::name, LedgerEntry::etag)
                .containsExactly(tuple("people_1.csv", etagOf("people_1.csv")), tuple("people_2.csv", etagOf("people_2.csv")));
        zone.close();

        // Overwritten while nothing runs, with content of the same size: only the ETag tells the versions apart.
        put("people_1.csv", HEADER + "1,Ama,2\n");
        S3LandingZone restarted = zone(spec, engine);
        // Listed with milliseconds, as MinIO lists them, people_2 is still the version the ledger holds in whole seconds.
        List<ListedObject> relisted = bucket.list().stream().map(o -> new ListedObject(o.key(), o.name(), o.etag(),
                o.size(), o.lastModified().truncatedTo(ChronoUnit.SECONDS).plusMillis(567))).toList();
        assertThat(restarted.newObjects(relisted)).extracting(ListedObject::name).containsExactly("people_1.csv");
    }

    @Test
    void aLoadedObjectListedWithAnotherModificationTimeIsNotFetchedAgain() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        List<LandedFile> files = zone.fetch(zone.newObjects(bucket.list()));
        engine.load(files);
        files.forEach(zone::markHandled);

        // Stores such as MinIO list modification times with milliseconds and send whole seconds on download.
        List<ListedObject> relisted = bucket.list().stream().map(o -> new ListedObject(o.key(), o.name(), o.etag(),
                o.size(), o.lastModified().truncatedTo(ChronoUnit.SECONDS).plusMillis(567))).toList();
        assertThat(zone.newObjects(relisted)).isEmpty();
    }

    String etagOf(String name) {
        return bucket.sdk().headObject(b -> b.bucket(LANDING.bucket()).key(LANDING.key(name))).eTag().replace("\"", "");
    }

    @Test
    void anObjectThatVanishesBeforeItIsReadIsRecordedAndSkippedAndTheOthersLoad() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        put("people_2.csv", HEADER + "2,Bob,1\n");
        put("people_3.csv", HEADER + "3,Cid,1\n");

        List<ListedObject> listed = zone.newObjects(bucket.list());
        bucket.delete(LANDING.key("people_2.csv"));
        List<LandedFile> files = zone.fetch(listed);
        List<FileOutcome> outcomes = engine.load(files);
        files.forEach(zone::markHandled);

        assertThat(outcomes).extracting(FileOutcome::status).containsExactly("loaded", "vanished", "loaded");
        assertThat(ledger(engine)).contains(
                List.of("people_2.csv", "s3://change-files/landing/people/people_2.csv", "vanished", 1, 0L));
        assertThat(count(engine, "SELECT count(*) FROM people_raw")).isEqualTo(2);
        assertThat(spooled(zone)).isZero();
        assertThat(zone.readyFiles()).isEmpty();
    }

    @Test
    void aStoreThatStopsMidRunIsRetriedWithAWarningAndThePipelineCatchesUpLosingNothing() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        S3LandingZone zone = zone(spec, engine);
        Logger runnerLog = (Logger) LoggerFactory.getLogger(PipelineRunner.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        runnerLog.addAppender(log);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PipelineRunner runner = new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE);
        Thread pipeline = new Thread(() -> {
            try {
                runner.runContinuously(stop::get);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        pipeline.start();
        try {
            put("people_1.csv", HEADER + "1,Ann,1\n");
            put("people_2.csv", HEADER + "2,Bob,1\n");
            awaitLoaded(engine, 2);

            server.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.list.stream().noneMatch(e -> e.getFormattedMessage().contains("no answer from the store"))) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            server.start();
            put("people_3.csv", HEADER + "3,Cid,1\n");
            put("people_1.csv", HEADER + "1,Anne,2\n");
            awaitLoaded(engine, 4);
        } finally {
            stop.set(true);
            pipeline.join();
            runnerLog.detachAppender(log);
        }

        assertThat(failure.get()).isNull();
        ILoggingEvent warning = log.list.stream().filter(e -> e.getFormattedMessage().contains("no answer")).findFirst().orElseThrow();
        assertThat(warning.getLevel()).hasToString("WARN");
        assertThat(warning.getFormattedMessage()).startsWith("s3://change-files/landing/people at " + server.endpoint()
                + ": cannot list the objects: no answer from the store (connection refused) (attempt 1 of 4)");
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("answers again; catching up"));
        assertThat(engine.query("SELECT id, name FROM people ORDER BY id", List.of()).rows())
                .containsExactly(List.of(1L, "Anne"), List.of(2L, "Bob"), List.of(3L, "Cid"));
    }

    void awaitLoaded(Engine engine, long files) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (loadedEntries(engine) < files
                || engine.offsets().stream().mapToLong(Offset::committed).min().orElse(0) < files) {
            assertThat(System.nanoTime()).as("files loaded in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void wrongCredentialsStopTheStartWithOneLineNamingBucketAndEndpointAndNoSecret() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        StaticCredentialsProvider wrongSecret = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LoopbackS3.ACCESS_KEY, "not-the-secret-xyz"));
        StaticCredentialsProvider unknownKey = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("nobody-knows-me", "not-the-secret-xyz"));

        for (var credentials : List.of(wrongSecret, unknownKey)) {
            assertThatThrownBy(() -> S3LandingZone.open(spec, engine, Clock.systemUTC(), credentials))
                    .isInstanceOfSatisfying(ChangepipeException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
                        assertThat(e.getMessage()).startsWith("s3://change-files/landing/people at " + server.endpoint() + ": ")
                                .contains("AWS_ACCESS_KEY_ID").doesNotContain("not-the-secret").doesNotContain("\n");
                    });
        }
        assertThatThrownBy(() -> S3LandingZone.open(spec, engine, Clock.systemUTC(), wrongSecret))
                .hasMessageContaining("the secret key does not match the access key (SignatureDoesNotMatch)");
        assertThatThrownBy(() -> S3LandingZone.open(spec, engine, Clock.systemUTC(), unknownKey))
                .hasMessageContaining("(InvalidAccessKeyId)");
    }

    @Test
    void aMissingBucketStopsTheStartWithOneLineNamingIt() throws Exception {
        PipelineSpec spec = spec("s3://no-such-bucket/landing", "{endpoint: \"" + server.endpoint() + "\"}");
        Engine engine = engine(spec);

        assertThatThrownBy(() -> S3LandingZone.open(spec, engine, Clock.systemUTC(), LoopbackS3.credentials()))
                .isInstanceOfSatisfying(ChangepipeException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
                .hasMessage("s3://no-such-bucket/landing at " + server.endpoint() + ": bucket no-such-bucket does not exist");
    }

    @Test
    void anEndpointThatDoesNotAnswerStopsTheStartWithOneLineNamingIt() throws Exception {
        int nobody = LoopbackS3.freePort();
        PipelineSpec spec = spec(LANDING.toString(), "{endpoint: \"http://127.0.0.1:" + nobody + "\"}");
        Engine engine = engine(spec);

        assertThatThrownBy(() -> S3LandingZone.open(spec, engine, Clock.systemUTC(), LoopbackS3.credentials()))
                .isInstanceOfSatisfying(ChangepipeException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
                .hasMessage("s3://change-files/landing/people at http://127.0.0.1:" + nobody
                        + ": no answer from the store (connection refused)");
    }

    @Test
    void theZoneIsFoundThroughServiceLoaderWithCredentialsFromTheAwsProviderChain() throws Exception {
        PipelineSpec spec = spec();
        Engine engine = engine(spec);
        put("people_1.csv", HEADER + "1,Ann,1\n");
        System.setProperty("aws.accessKeyId", LoopbackS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LoopbackS3.SECRET_KEY);
        try (LandingZone zone = LandingZones.open(spec, engine, Clock.systemUTC())) {
            assertThat(zone).isInstanceOf(S3LandingZone.class);
            assertThat(zone.location()).isEqualTo("s3://change-files/landing/people at " + server.endpoint());
            assertThat(zone.readyFiles()).extracting(LandedFile::name).containsExactly("people_1.csv");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
