package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.conformance.TableDifferences;
import dev.changepipe.landing.s3.BucketClient;
import dev.changepipe.landing.s3.BucketClient.ListedObject;
import dev.changepipe.landing.s3.LoopbackS3Server;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The original flow with changepipe alone, through the command line: generate, ship into an S3-compatible
 * server on loopback, run the pipeline from the bucket, and compare with the same files loaded from a folder.
 */
class S3PipelineIT {
    static final S3Uri LANDING = S3Uri.parse("s3://changepipe-test/landing");

    @TempDir
    Path dir;

    LoopbackS3Server server;
    S3Settings settings;

    @BeforeEach
    void startServer() throws Exception {
        server = LoopbackS3Server.start(dir.resolve("store"));
        settings = server.settings(Duration.ofMillis(200));
        try (BucketClient bucket = BucketClient.open(LANDING, settings, server.credentials())) {
            bucket.createBucketIfMissing();
        }
        // The commands take their credentials from the AWS provider chain, which reads these first.
        AwsCredentials credentials = server.credentials().resolveCredentials();
        System.setProperty("aws.accessKeyId", credentials.accessKeyId());
        System.setProperty("aws.secretAccessKey", credentials.secretAccessKey());
    }

    @AfterEach
    void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        server.close();
    }

    static Cli ok(String... args) {
        Cli cli = Cli.run(args);
        assertThat(cli.exitCode()).as("%s\n%s%s", String.join(" ", args), cli.out(), cli.err()).isZero();
        return cli;
    }

    List<ListedObject> objects(S3Uri uri) {
        try (BucketClient bucket = BucketClient.open(uri, settings, server.credentials())) {
            return bucket.list();
        }
    }

    @Test
    void filesShippedIntoABucketGiveExactlyTheTablesTheSameFilesGiveFromALocalFolder() throws Exception {
        Path generated = dir.resolve("generated");
        ok("generate", "--out", generated.toString(), "--files", "6", "--rows", "300", "--seed", "7",
                "--dirty-ratio", "0.02", "--start", "2026-01-01T00:00:00Z");
        Path local = dir.resolve("local");
        Path localSpec = BuiltInSpec.write(local);
        Files.createDirectories(local.resolve("landing"));
        try (Stream<Path> files = Files.list(generated)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                Files.copy(file, local.resolve("landing").resolve(file.getFileName()));
            }
        }
        ok("run", "--spec", localSpec.toString(), "--once");

        Cli ship = ok("ship", "--from", generated.toString(), "--to", LANDING.toString(), "--endpoint",
                server.endpoint().toString(), "--after", "archive");
        assertThat(ship.out()).contains("shipped 6 files");
        Path bucketSpec = BuiltInSpec.writeForBucket(dir.resolve("bucket"), LANDING, settings);
        ok("run", "--spec", bucketSpec.toString(), "--once");

        // Where and when a file landed differ by nature: a folder's path and time, the object's URI, upload time and ETag.
        WarehouseTables.Reading compared = WarehouseTables.COMPARED.leavingOutOfLedger("last_modified", "etag");
        Map<String, List<String>> fromFolder = WarehouseTables.read(localSpec, compared);
        Map<String, List<String>> fromBucket = WarehouseTables.read(bucketSpec, compared);
        assertThat(TableDifferences.of(fromFolder, fromBucket, "folder", "bucket", dir.resolve("diff"))).isEmpty();
        assertThat(fromBucket.get("customer_raw")).hasSizeGreaterThan(1700);
        assertThat(fromBucket.get("customer_raw_rejects")).hasSizeGreaterThan(1);
        assertThat(WarehouseTables.ledgerColumn(bucketSpec, "path").subList(0, 6))
                .allSatisfy(path -> assertThat(path).startsWith("s3://changepipe-test/landing/customer_2026"));
        assertThat(generated.resolve("archive")).isDirectoryContaining("glob:**/customer_*.csv");
        try (Stream<Path> spool = Files.list(dir.resolve("bucket/warehouse/s3-spool/customer"))) {
            assertThat(spool).isEmpty();
        }

        // Shipping again sends nothing; running again loads nothing.
        assertThat(ok("ship", "--from", generated.toString(), "--to", LANDING.toString(), "--endpoint",
                server.endpoint().toString()).out()).contains("shipped 0 files");
        ok("run", "--spec", bucketSpec.toString(), "--once");
        assertThat(WarehouseTables.ledgerColumn(bucketSpec, "file_id")).hasSize(6);
    }

    @Test
    void generateWritesStraightIntoABucket() {
        S3Uri out = S3Uri.parse("s3://changepipe-test/generated");

        Cli cli = ok("generate", "--out", out.toString(), "--files", "3", "--rows", "10", "--endpoint",
                server.endpoint().toString(), "--start", "2026-01-01T00:00:00Z");

        assertThat(cli.out()).contains("s3://changepipe-test/generated/customer_20260101000000.csv (10 rows)")
                .contains("wrote 3 files, 30 rows, into s3://changepipe-test/generated");
        assertThat(objects(out)).extracting(ListedObject::name).containsExactly("customer_20260101000000.csv",
                "customer_20260101000001.csv", "customer_20260101000002.csv");
    }

    @Test
    void runWithWrongCredentialsStopsWithOneLineNamingBucketAndEndpointAndNoSecret() throws Exception {
        Path spec = BuiltInSpec.writeForBucket(dir.resolve("bucket"), LANDING, settings);
        System.setProperty("aws.secretAccessKey", "wrong-secret-4711");

        Cli cli = Cli.run("run", "--spec", spec.toString(), "--once");

        assertThat(cli.exitCode()).isEqualTo(Changepipe.USER_ERROR_EXIT);
        assertThat(cli.err()).isEqualTo("changepipe: s3://changepipe-test/landing at " + server.endpoint()
                + ": the secret key does not match the access key (SignatureDoesNotMatch); credentials come from the AWS"
                + " provider chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or a profile chosen with"
                + " AWS_PROFILE" + System.lineSeparator());
        assertThat(cli.err()).doesNotContain("wrong-secret-4711");
    }

    @Test
    void shipToAMissingBucketStopsWithOneLineNamingIt() {
        Cli cli = Cli.run("ship", "--from", dir.toString(), "--to", "s3://no-such-bucket/x", "--endpoint",
                server.endpoint().toString());

        assertThat(cli.exitCode()).isEqualTo(Changepipe.USER_ERROR_EXIT);
        assertThat(cli.err()).isEqualTo("changepipe: s3://no-such-bucket/x at " + server.endpoint()
                + ": bucket no-such-bucket does not exist" + System.lineSeparator());
    }

    @Test
    void theS3DemoRunsTheWholeOriginalFlowInOneProcess() throws Exception {
        Path demo = dir.resolve("demo");

        Cli cli = ok("demo", "--s3", "--dir", demo.toString(), "--seconds", "2", "--rows", "50");

        assertThat(cli.out()).contains("-> ship -> s3://changepipe-demo/landing on http://127.0.0.1:")
                .contains("shipped 2 | files 2 | raw 100 rows").contains("Landing -> history lag over 2 files");
        Path spec = demo.resolve("pipeline.yaml");
        assertThat(WarehouseTables.ledgerColumn(spec, "status").subList(0, 2)).containsOnly("loaded");
        assertThat(WarehouseTables.ledgerColumn(spec, "path").subList(0, 2))
                .allSatisfy(path -> assertThat(path).startsWith("s3://changepipe-demo/landing/customer_"));
        assertThat(demo.resolve("s3/changepipe-demo/landing")).isDirectoryContaining("glob:**/customer_*.csv");
        try (Stream<Path> outbox = Files.list(demo.resolve("outbox"))) {
            assertThat(outbox.filter(f -> f.getFileName().toString().startsWith("customer_"))).isEmpty();
        }
    }
}
