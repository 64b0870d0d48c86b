package dev.changepipe.landing.s3;

import dev.changepipe.spec.S3Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An S3-compatible server (s3proxy) in this process, on 127.0.0.1 and a free port, keeping its buckets
 * as files under a folder: the "S3" of {@code demo --s3} and of the tests. It can be stopped and
 * started again on the same port with the same objects, as a store that goes away and comes back.
 */
public final class LoopbackS3Server implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(15);

    private final Path store;
    private final URI endpoint;
    private final AwsBasicCredentials credentials;
    private S3Proxy proxy;

    private LoopbackS3Server(Path store, URI endpoint, AwsBasicCredentials credentials) {
        this.store = store;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** A server whose credentials are made up here and handed to this process's clients only. */
    public static LoopbackS3Server start(Path store) throws Exception {
        return start(store, AwsBasicCredentials.create("demo-" + UUID.randomUUID(), UUID.randomUUID().toString()));
    }

    public static LoopbackS3Server start(Path store, AwsBasicCredentials credentials) throws Exception {
        Files.createDirectories(store);
        LoopbackS3Server server = new LoopbackS3Server(store, URI.create("http://127.0.0.1:" + freePort()), credentials);
        server.restart();
        return server;
    }

    /** A port nothing listens on at the moment of asking. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server (again) on its port, with the objects its folder holds. */
    public void restart() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(store.toAbsolutePath().normalize().toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKeyId(), credentials.secretAccessKey())
                .build();
        proxy.start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("the S3-compatible server did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return endpoint;
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(credentials);
    }

    public S3Settings settings(Duration listEvery) {
        return new S3Settings(Optional.of(endpoint), Optional.empty(), true, listEvery);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
