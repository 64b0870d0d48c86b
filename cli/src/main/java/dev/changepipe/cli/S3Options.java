package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach a bucket from the command line, as the spec's {@code s3:} block says it; credentials come from the AWS provider chain. */
final class S3Options {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The store's address for MinIO and other S3-compatible stores (e.g. http://127.0.0.1:9000); default: AWS S3.")
    URI endpoint;

    @Option(names = "--region", description = "The signing region; default: AWS_REGION or the AWS profile's (us-east-1 with --endpoint).")
    String region;

    @Option(names = "--path-style", arity = "0..1", paramLabel = "true|false",
            description = "Address buckets as endpoint/bucket; default: true with --endpoint, false without.")
    Boolean pathStyle;

    S3Settings settings() {
        if (endpoint != null && (endpoint.getRawUserInfo() != null || endpoint.getHost() == null)) {
            throw ChangepipeException.user("--endpoint: must be an http:// or https:// URL with a host and without a user or password");
        }
        return new S3Settings(Optional.ofNullable(endpoint), Optional.ofNullable(region),
                pathStyle != null ? pathStyle : endpoint != null, S3Settings.DEFAULT_LIST_EVERY);
    }

    static S3Uri uri(String option, String text) {
        try {
            return S3Uri.parse(text);
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user(option + ": " + e.getMessage());
        }
    }
}
