package dev.changepipe.spec;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the store of an {@code s3://} landing zone (the spec's {@code s3:} block). Credentials
 * are deliberately not here: they come from the AWS provider chain (environment, profile), never from a spec.
 *
 * @param endpoint the store's address for MinIO and other S3-compatible stores; empty means AWS S3
 * @param region the signing region; empty means the AWS region settings (AWS_REGION, the profile)
 * @param pathStyle address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}
 * @param listEvery how often the prefix is listed to discover new objects
 */
public record S3Settings(Optional<URI> endpoint, Optional<String> region, boolean pathStyle, Duration listEvery) {
    public static final Duration DEFAULT_LIST_EVERY = Duration.ofSeconds(5);

    /** AWS S3, region and credentials from the AWS settings. */
    public static final S3Settings AWS = new S3Settings(Optional.empty(), Optional.empty(), false, DEFAULT_LIST_EVERY);
}
