package dev.changepipe.cli;

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
 * as files under a folder: the "S3" of {@code demo --s3}. Its credentials are made up at start and
 * handed to this process's clients only.
 */
final class LoopbackS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;
    private final StaticCredentialsProvider credentials;

    private LoopbackS3Server(S3Proxy proxy, URI endpoint, StaticCredentialsProvider credentials) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    static LoopbackS3Server start(Path store) throws Exception {
        Files.createDirectories(store);
        URI endpoint = URI.create("http://127.0.0.1:" + freePort());
        String identity = "demo-" + UUID.randomUUID();
        String secret = UUID.randomUUID().toString();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(store.toAbsolutePath().normalize().toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, secret)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("the S3-compatible server did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new LoopbackS3Server(proxy, endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, secret)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI endpoint() {
        return endpoint;
    }

    StaticCredentialsProvider credentials() {
        return credentials;
    }

    S3Settings settings(Duration listEvery) {
        return new S3Settings(Optional.of(endpoint), Optional.empty(), true, listEvery);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
