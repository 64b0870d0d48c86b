package dev.changepipe.landing.s3;

import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real S3-compatible server (s3proxy) in this JVM on 127.0.0.1 and a free port, keeping its buckets
 * as files in a folder, so that it can be stopped and started again with its objects.
 */
final class LoopbackS3 implements AutoCloseable {
    static final String ACCESS_KEY = "changepipe-test";
    static final String SECRET_KEY = "wJalrXUtnFEMI-test-secret";

    private final Path store;
    private final int port;
    private S3Proxy proxy;

    private LoopbackS3(Path store, int port) {
        this.store = store;
        this.port = port;
    }

    static LoopbackS3 start(Path store) throws Exception {
        Files.createDirectories(store);
        LoopbackS3 server = new LoopbackS3(store, freePort());
        server.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(store.toAbsolutePath().normalize().toString()))
                .endpoint(endpoint())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    void stop() throws Exception {
        proxy.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    S3Settings settings(Duration listEvery) {
        return new S3Settings(Optional.of(endpoint()), Optional.empty(), true, listEvery);
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
        stop();
    }
}
