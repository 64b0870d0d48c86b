package dev.changepipe.landing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.landing.s3.BucketClient.ListedObject;
import dev.changepipe.landing.s3.FolderShipper.After;
import dev.changepipe.landing.s3.FolderShipper.Shipped;
import dev.changepipe.spec.S3Uri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ship}'s work, NiFi's leg of the original flow, against a real S3-compatible server on loopback. */
class FolderShipperIT {
    static final S3Uri TO = S3Uri.parse("s3://change-files/landing");

    @TempDir
    Path dir;

    LoopbackS3 server;
    BucketClient bucket;
    Path outbox;
    final List<Shipped> reported = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = LoopbackS3.start(dir.resolve("store"));
        bucket = server.bucket(TO);
        outbox = Files.createDirectories(dir.resolve("outbox"));
    }

    @AfterEach
    void stopServer() throws Exception {
        bucket.close();
        server.close();
    }

    FolderShipper shipper(After after, Duration settle) {
        return new FolderShipper(outbox, "*", settle, bucket, after, Clock.systemUTC(), reported::add, Duration.ofMillis(20));
    }

    /** A file as a writer that renames into place leaves it, modified a while ago so it has settled. */
    Path land(String name, String content) throws Exception {
        Path file = outbox.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
        return file;
    }

    /** The bucket's objects, key to content. */
    Map<String, String> objects() {
        Map<String, String> objects = new TreeMap<>();
        for (ListedObject object : bucket.list()) {
            objects.put(object.name(), bucket.sdk().getObjectAsBytes(b -> b.bucket(TO.bucket()).key(object.key())).asUtf8String());
        }
        return objects;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everySettledFileIsUploadedOnceAndDeletedOnlyAfterItsUploadButPartialFilesNever() throws Exception {
        land("customer_1.csv", "id\n1\n");
        land("customer_2.csv", "id\n2\n");
        land(".customer_3.csv.part", "id\n3\n");
        Path writing = outbox.resolve("customer_4.csv");
        Files.writeString(writing, "id\n4\n");

        List<Shipped> shipped;
        try (FolderShipper shipper = shipper(After.DELETE, Duration.ofSeconds(2))) {
            shipped = shipper.shipReady();
        }

        assertThat(shipped).extracting(Shipped::location)
                .containsExactly("s3://change-files/landing/customer_1.csv", "s3://change-files/landing/customer_2.csv");
        assertThat(reported).isEqualTo(shipped);
        assertThat(objects()).containsExactly(Map.entry("customer_1.csv", "id\n1\n"), Map.entry("customer_2.csv", "id\n2\n"));
        assertThat(bucket.shippedSha256("landing/customer_1.csv")).contains(sha256("id\n1\n"));
        assertThat(outbox.resolve("customer_1.csv")).doesNotExist();
        assertThat(outbox.resolve(".customer_3.csv.part")).exists();
        assertThat(writing).exists();
    }

    @Test
    void aRestartUploadsNothingTwiceAndTheSameNameWithNewContentGoesOutAsANewVersion() throws Exception {
        land("customer_1.csv", "id\n1\n");
        try (FolderShipper shipper = shipper(After.KEEP, Duration.ZERO)) {
            assertThat(shipper.shipUntilIdle()).hasSize(1);
        }
        Instant firstUpload = bucket.list().get(0).lastModified();
        Thread.sleep(1100);

        try (FolderShipper restarted = shipper(After.KEEP, Duration.ZERO)) {
            assertThat(restarted.shipUntilIdle()).isEmpty();
            land("customer_1.csv", "id\n1\n11\n");
            assertThat(restarted.shipUntilIdle()).extracting(Shipped::name).containsExactly("customer_1.csv");
        }

        assertThat(objects()).containsExactly(Map.entry("customer_1.csv", "id\n1\n11\n"));
        assertThat(bucket.list().get(0).lastModified()).isAfter(firstUpload);
        assertThat(outbox.resolve("customer_1.csv")).exists();
    }

    @Test
    void anUploadThatBeganBeforeACrashAndArrivedIsNotRepeated() throws Exception {
        Path file = land("customer_1.csv", "id\n1\n");
        String hash = sha256("id\n1\n");
        // What a shipper killed right after the store took the object leaves behind.
        try (ShipLedger ledger = ShipLedger.open(outbox)) {
            ledger.started(hash, "s3://change-files/landing/customer_1.csv");
        }
        bucket.put("landing/customer_1.csv", file, Files.size(file), hash);
        Instant uploaded = bucket.list().get(0).lastModified();
        Thread.sleep(1100);

        try (FolderShipper shipper = shipper(After.ARCHIVE, Duration.ZERO)) {
            assertThat(shipper.shipUntilIdle()).isEmpty();
        }

        assertThat(bucket.list().get(0).lastModified()).isEqualTo(uploaded);
        assertThat(outbox.resolve("archive/customer_1.csv")).hasContent("id\n1\n");
        assertThat(file).doesNotExist();
    }

    @Test
    void archivingKeepsEveryShippedVersionUnderAFreeName() throws Exception {
        land("customer_1.csv", "id\n1\n");
        try (FolderShipper shipper = shipper(After.ARCHIVE, Duration.ZERO)) {
            shipper.shipUntilIdle();
            land("customer_1.csv", "id\n1\n11\n");
            shipper.shipUntilIdle();
        }

        assertThat(outbox.resolve("archive/customer_1.csv")).hasContent("id\n1\n");
        assertThat(outbox.resolve("archive/customer_1~2.csv")).hasContent("id\n1\n11\n");
        assertThat(objects()).containsExactly(Map.entry("customer_1.csv", "id\n1\n11\n"));
    }

    @Test
    void anUploadWhoseBytesAreNotTheHashedContentIsBrokenOffAndLeavesNoObject() throws Exception {
        Path file = land("customer_1.csv", "id\n1\n");

        assertThatThrownBy(() -> bucket.put("landing/customer_1.csv", file, Files.size(file), sha256("id\n2\n")))
                .isInstanceOf(BucketClient.ContentChangedException.class);

        // (s3proxy's file store leaves its temporary file of the broken upload in the listing; the key is not there.)
        assertThat(bucket.list()).extracting(ListedObject::name).doesNotContain("customer_1.csv");
        assertThat(bucket.shippedSha256("landing/customer_1.csv")).isEmpty();
    }

    @Test
    void aSecondShipperOfTheSameFolderIsRefused() {
        try (FolderShipper first = shipper(After.KEEP, Duration.ZERO)) {
            assertThatThrownBy(() -> shipper(After.KEEP, Duration.ZERO))
                    .isInstanceOfSatisfying(ChangepipeException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
                    .hasMessageContaining("is being shipped by another process");
        }
    }

    @Test
    void aStoreThatDoesNotAnswerFailsAPassWithOneLineAndTheFileStaysForTheNextOne() throws Exception {
        land("customer_1.csv", "id\n1\n");
        server.stop();
        try (FolderShipper shipper = shipper(After.DELETE, Duration.ZERO)) {
            assertThatThrownBy(shipper::shipUntilIdle)
                    .isInstanceOf(FolderShipper.ShipUnavailableException.class)
                    .hasMessage("s3://change-files/landing at " + server.endpoint()
                            + ": cannot upload customer_1.csv: no answer from the store (connection refused)");
            assertThat(outbox.resolve("customer_1.csv")).exists();

            server.start();
            assertThat(shipper.shipUntilIdle()).extracting(Shipped::name).containsExactly("customer_1.csv");
        }
        assertThat(objects()).containsOnlyKeys("customer_1.csv");
        assertThat(outbox.resolve("customer_1.csv")).doesNotExist();
    }
}
