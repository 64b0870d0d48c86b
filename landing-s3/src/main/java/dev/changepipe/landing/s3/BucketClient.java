package dev.changepipe.landing.s3;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A prefix of a bucket and the client that reaches it: the few requests changepipe makes (list, get,
 * put, head, delete), and one-line messages naming the prefix and the endpoint when they fail.
 * Thread-safe: fetches run on several threads.
 */
public final class BucketClient implements AutoCloseable {
    /** User metadata on shipped objects: the SHA-256 of the content, so that a restart can tell what was shipped. */
    static final String SHA256_METADATA = "sha256";
    /** Where an SDK without a region set falls back for S3-compatible stores; MinIO and s3proxy expect it. */
    private static final Region COMPATIBLE_DEFAULT_REGION = Region.US_EAST_1;

    private final S3Uri uri;
    private final String where;
    private final S3Client client;

    private BucketClient(S3Uri uri, String where, S3Client client) {
        this.uri = uri;
        this.where = where;
        this.client = client;
    }

    /** A client with credentials from the AWS provider chain (environment, system properties, profile, instance role). */
    public static BucketClient open(S3Uri uri, S3Settings settings) {
        return open(uri, settings, DefaultCredentialsProvider.builder().build());
    }

    public static BucketClient open(S3Uri uri, S3Settings settings, AwsCredentialsProvider credentials) {
        Region region = region(uri, settings);
        String where = uri + " at " + settings.endpoint().map(Object::toString).orElse("AWS S3 (" + region.id() + ")");
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new BucketClient(uri, where, builder.build());
    }

    /**
     * The spec's region, else AWS_REGION or the profile's region. The instance metadata service is not
     * asked: outside EC2 it costs seconds of time-outs, and an S3-compatible store ignores the region.
     */
    private static Region region(S3Uri uri, S3Settings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return new SystemSettingsRegionProvider().getRegion();
        } catch (SdkException none) {
            // next
        }
        try {
            return new AwsProfileRegionProvider().getRegion();
        } catch (SdkException none) {
            // next
        }
        if (settings.endpoint().isPresent()) {
            return COMPATIBLE_DEFAULT_REGION;
        }
        throw ChangepipeException.user(uri + ": no AWS region: set s3.region in the spec (--region on the command line),"
                + " AWS_REGION, or a region in the AWS profile");
    }

    public S3Uri uri() {
        return uri;
    }

    /** The prefix and the endpoint, as every message about this bucket starts. */
    public String where() {
        return where;
    }

    /** An object listed in the prefix; {@code name} is its key without the prefix. */
    public record ListedObject(String key, String name, String etag, long size, Instant lastModified) {}

    /** What a fetch wrote: the object's version as the store served it, and the SHA-256 of the bytes. */
    public record FetchedObject(String etag, long size, Instant lastModified, String sha256) {}

    /**
     * Checks that the prefix can be listed: the endpoint answers, the credentials are accepted and the
     * bucket exists. Any failure is a user error, one line naming the prefix and the endpoint.
     */
    public void check() {
        try {
            client.listObjectsV2(ListObjectsV2Request.builder().bucket(uri.bucket()).prefix(uri.keyPrefix()).maxKeys(1).build());
        } catch (SdkException e) {
            throw ChangepipeException.user(where + ": " + StoreFailure.of(e, uri.bucket()).reason());
        }
    }

    /** Every object directly in the prefix (not in "sub-folders" of it), page by page. */
    public List<ListedObject> list() {
        List<ListedObject> objects = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(uri.bucket()).prefix(uri.keyPrefix()).delimiter("/").build();
        for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
            for (S3Object object : page.contents()) {
                String name = object.key().substring(uri.keyPrefix().length());
                if (!name.isEmpty()) {
                    objects.add(new ListedObject(object.key(), name, unquoted(object.eTag()), object.size(),
                            object.lastModified()));
                }
            }
        }
        return objects;
    }

    /**
     * Streams an object into {@code target}, hashing it on the way.
     *
     * @return empty when the object is gone
     */
    public Optional<FetchedObject> fetch(String key, Path target) throws IOException {
        MessageDigest sha256 = sha256();
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(uri.bucket()).key(key));
                OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256)) {
            long size = in.transferTo(out);
            GetObjectResponse response = in.response();
            if (response.contentLength() != null && response.contentLength() != size) {
                throw new IOException("got " + size + " of " + response.contentLength() + " bytes");
            }
            return Optional.of(new FetchedObject(unquoted(response.eTag()), size, response.lastModified(),
                    HexFormat.of().formatHex(sha256.digest())));
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        }
    }

    /**
     * Uploads {@code file} as {@code key}, with its SHA-256 as metadata. The bytes sent are checked against
     * {@code sha256} as they are read; should the file have changed since it was hashed, the upload is
     * broken off before its last byte, so the store never keeps an object whose content was not the file's.
     *
     * @throws ContentChangedException when the file no longer has the content {@code sha256} names
     */
    public void put(String key, Path file, long size, String sha256) throws ContentChangedException {
        try {
            client.putObject(b -> b.bucket(uri.bucket()).key(key).contentLength(size)
                            .metadata(Map.of(SHA256_METADATA, sha256)),
                    RequestBody.fromContentProvider(() -> new VerifiedStream(file, size, sha256), size,
                            key.endsWith(".gz") ? "application/gzip" : "text/csv"));
        } catch (SdkException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ContentChangedException changed) {
                    throw changed;
                }
                if (cause instanceof NoSuchFileException) {
                    throw new ContentChangedException(file);
                }
            }
            throw e;
        }
    }

    /** Uploads a whole file as {@code key}; see {@link #put(String, Path, long, String)}. */
    public void put(String key, Path file) throws IOException {
        MessageDigest sha256 = sha256();
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        }
        put(key, file, size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The SHA-256 an earlier {@link #put} stored with {@code key}; empty when there is no such object or it has none. */
    public Optional<String> shippedSha256(String key) {
        try {
            return Optional.ofNullable(client.headObject(b -> b.bucket(uri.bucket()).key(key)).metadata().get(SHA256_METADATA));
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        }
    }

    /** Creates the bucket when it does not exist: for a store of one's own (the S3 demo, tests), never for a landing zone. */
    public void createBucketIfMissing() {
        try {
            client.headBucket(b -> b.bucket(uri.bucket()));
        } catch (NoSuchBucketException missing) {
            client.createBucket(b -> b.bucket(uri.bucket()));
        } catch (SdkException e) {
            throw ChangepipeException.user(failure("cannot create the bucket", e));
        }
    }

    /** The SDK client, for tests that seed the store directly. */
    S3Client sdk() {
        return client;
    }

    /** Deletes an object; for tests and tools. */
    public void delete(String key) {
        client.deleteObject(b -> b.bucket(uri.bucket()).key(key));
    }

    /** The one-line message for a failed request: this bucket and endpoint, what was being done, and why. */
    public String failure(String doing, SdkException e) {
        return where + ": " + doing + ": " + StoreFailure.of(e, uri.bucket()).reason();
    }

    /** Why a request failed, in our words (no request ids, signatures or credentials). */
    public String reason(SdkException e) {
        return StoreFailure.of(e, uri.bucket()).reason();
    }

    /** Whether a failure may go away by itself (no answer, 5xx, throttling) rather than needing someone to act. */
    public boolean isTransient(SdkException e) {
        return StoreFailure.of(e, uri.bucket()).isTransient();
    }

    /** Whether a failure concerns the one object asked for (its permissions, its storage class) rather than every request. */
    public boolean concernsOneObject(SdkException e) {
        return StoreFailure.of(e, uri.bucket()).concernsOneObject();
    }

    @Override
    public void close() {
        client.close();
    }

    /** The ETag without its quotes; null when the store sends none (the ledger then matches by content only). */
    private static String unquoted(String etag) {
        return etag == null || etag.isBlank() ? null : etag.replace("\"", "");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file changed between being hashed and being uploaded. */
    public static final class ContentChangedException extends IOException {
        ContentChangedException(Path file) {
            super(file + " changed while it was uploaded");
        }
    }

    /** The file's first {@code size} bytes, failing before the last of them when they do not hash to {@code sha256}. */
    private static final class VerifiedStream extends InputStream {
        private final Path file;
        private final long size;
        private final String sha256;
        private final MessageDigest digest = sha256();
        /** Opened on the first read, so that a file that is gone fails the upload as an I/O error. */
        private InputStream in;
        private long read;

        VerifiedStream(Path file, long size, String sha256) {
            this.file = file;
            this.size = size;
            this.sha256 = sha256;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (read >= size) {
                return -1;
            }
            if (in == null) {
                in = Files.newInputStream(file);
            }
            int n = in.read(buffer, offset, (int) Math.min(length, size - read));
            if (n < 0) {
                throw new ContentChangedException(file);
            }
            digest.update(buffer, offset, n);
            read += n;
            if (read == size && !HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                throw new ContentChangedException(file);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
