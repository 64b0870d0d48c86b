package dev.changepipe.landing.s3;

import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The tests' {@link LoopbackS3Server}: known credentials, so that a test can get them wrong, and buckets on demand. */
final class LoopbackS3 implements AutoCloseable {
    static final String ACCESS_KEY = "changepipe-test";
    static final String SECRET_KEY = "wJalrXUtnFEMI-test-secret";

    private final LoopbackS3Server server;

    private LoopbackS3(LoopbackS3Server server) {
        this.server = server;
    }

    static LoopbackS3 start(Path store) throws Exception {
        return new LoopbackS3(LoopbackS3Server.start(store, AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    static int freePort() throws IOException {
        return LoopbackS3Server.freePort();
    }

    /** Starts the stopped server again, same port and objects. */
    void start() throws Exception {
        server.restart();
    }

    void stop() throws Exception {
        server.stop();
    }

    URI endpoint() {
        return server.endpoint();
    }

    S3Settings settings(Duration listEvery) {
        return server.settings(listEvery);
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A client of {@code uri} on this server; creates the bucket when it is missing. */
    BucketClient bucket(S3Uri uri) {
        BucketClient client = BucketClient.open(uri, settings(Duration.ofSeconds(1)), credentials());
        client.createBucketIfMissing();
        return client;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
