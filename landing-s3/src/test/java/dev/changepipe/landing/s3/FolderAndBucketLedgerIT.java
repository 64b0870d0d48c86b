package dev.changepipe.landing.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.S3Uri;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One ledger rule for folders and buckets (docs/semantics.md §1.2): the same deliveries, into a landing folder
 * and into a bucket on a real S3-compatible server, some while the pipeline runs and some while it is stopped,
 * give the same ledger entries, loaded by the real DuckDB engine. The folder's simple re-delivery is also part
 * of the conformance suite ({@code BadInputCorpusConformanceTest.theSameNameWithTheSameContentIsRecordedAsRedeliveredAndNotLoaded}).
 */
class FolderAndBucketLedgerIT {
    static final S3Uri LANDING = S3Uri.parse("s3://change-files/landing/people");
    static final String ANN = "id,name,seq\n1,Ann,1\n";
    static final String ANNA = "id,name,seq\n1,Anna,2\n";

    @TempDir
    Path dir;

    LoopbackS3 server;
    BucketClient bucket;

    @BeforeEach
    void startServer() throws Exception {
        server = LoopbackS3.start(dir.resolve("store"));
        bucket = server.bucket(LANDING);
    }

    @AfterEach
    void stopServer() throws Exception {
        bucket.close();
        server.close();
    }

    /** How files land in one kind of landing zone, and how the pipeline opens that zone. */
    interface Landing {
        String spec();

        void deliver(String name, String csv) throws Exception;

        LandingZone open(PipelineSpec spec, Engine engine);
    }

    Landing folder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("landing"));
        return new Landing() {
            public String spec() {
                return "landing: \"" + folder + "\"\nschedule: {every: 1s, settle: 50ms}";
            }

            public void deliver(String name, String csv) throws Exception {
                Files.writeString(folder.resolve(name), csv);
            }

            public LandingZone open(PipelineSpec spec, Engine engine) {
                return new LandingFolder(folder, spec.pattern(), spec.schedule().settle(), Clock.systemUTC());
            }
        };
    }

    Landing bucket() {
        return new Landing() {
            public String spec() {
                return "landing: " + LANDING + "\ns3: {endpoint: \"" + server.endpoint() + "\", list_every: 100ms}"
                        + "\nschedule: {every: 1s}";
            }

            public void deliver(String name, String csv) {
                bucket.sdk().putObject(b -> b.bucket(LANDING.bucket()).key(LANDING.key(name)), RequestBody.fromString(csv));
            }

            public LandingZone open(PipelineSpec spec, Engine engine) {
                return S3LandingZone.open(spec, engine, Clock.systemUTC(), LoopbackS3.credentials());
            }
        };
    }

    /** A pipeline that can be stopped, files delivered meanwhile, and started again on the same warehouse. */
    final class Pipeline implements AutoCloseable {
        final PipelineSpec spec;
        final Landing landing;
        Engine engine;
        LandingZone zone;
        PipelineRunner runner;

        Pipeline(String name, Landing landing) throws Exception {
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, """
                    name: people
                    %s
                    pattern: "people_*.csv"
                    engine: {type: duckdb, path: "%s"}
                    columns: {id: bigint, name: varchar, seq: bigint}
                    keys: [id]
                    sequence_by: seq
                    """.formatted(landing.spec(), dir.resolve("warehouse-" + name)));
            this.spec = SpecLoader.load(file);
            this.landing = landing;
        }

        void start() {
            engine = Engines.open(spec);
            engine.prepare();
            zone = landing.open(spec, engine);
            runner = new PipelineRunner(spec, engine, zone, Clock.systemUTC(), PipelineListener.NONE);
        }

        void runUntilIdle() throws InterruptedException {
            runner.runUntilIdle();
        }

        /** Fid, name, status, version, original file id, rows loaded and content hash of each ledger entry. */
        List<List<Object>> ledger() {
            return engine.ledger(LedgerQuery.all()).stream().map(e -> Arrays.<Object>asList(e.fileId(), e.name(),
                    e.status().word(), e.version(), e.originalFileId(), e.rowsLoaded(), e.contentHash())).toList();
        }

        /** Stops the pipeline: its zone and engine closed, as when the process ends. */
        void stop() {
            if (engine != null) {
                zone.close();
                engine.close();
                engine = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    /**
     * Delivers the sequence: version 1, version 2 and version 1 again while the pipeline runs; version 2 again and
     * a new name with version 1's content while it is stopped; then starts it twice. Returns the ledger.
     */
    List<List<Object>> deliverTheSequence(String name, Landing landing) throws Exception {
        try (Pipeline pipeline = new Pipeline(name, landing)) {
            pipeline.start();
            landing.deliver("people_1.csv", ANN);
            pipeline.runUntilIdle();
            nextSecond();
            landing.deliver("people_1.csv", ANNA);
            pipeline.runUntilIdle();
            nextSecond();
            landing.deliver("people_1.csv", ANN);
            pipeline.runUntilIdle();
            pipeline.stop();

            nextSecond();
            landing.deliver("people_1.csv", ANNA);
            landing.deliver("people_2.csv", ANN);
            pipeline.start();
            pipeline.runUntilIdle();
            pipeline.stop();

            // Nothing new: a start records nothing more.
            pipeline.start();
            pipeline.runUntilIdle();
            return pipeline.ledger();
        }
    }

    /** Bucket times have whole seconds: a later delivery gets a later one, as it would in life. */
    static void nextSecond() throws InterruptedException {
        Thread.sleep(1100);
    }

    @Test
    void theSameDeliveriesIntoAFolderAndIntoABucketGiveTheSameLedgerEntries() throws Exception {
        List<List<Object>> fromFolder = deliverTheSequence("folder", folder());
        List<List<Object>> fromBucket = deliverTheSequence("bucket", bucket());

        // A re-delivery carries the version of the entry whose content it repeats, not the name's latest version.
        assertThat(fromFolder).extracting(e -> e.subList(0, 6)).containsExactly(
                Arrays.asList(1L, "people_1.csv", "loaded", 1, null, 1L),
                Arrays.asList(2L, "people_1.csv", "loaded", 2, null, 1L),
                Arrays.asList(3L, "people_1.csv", "redelivered", 1, 1L, 0L),
                Arrays.asList(4L, "people_1.csv", "redelivered", 2, 2L, 0L),
                Arrays.asList(5L, "people_2.csv", "loaded", 1, null, 1L));
        assertThat(fromBucket).isEqualTo(fromFolder);
    }
}
