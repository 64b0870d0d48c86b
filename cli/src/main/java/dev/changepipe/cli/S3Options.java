package dev.changepipe.cli;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.S3Settings;
import dev.changepipe.spec.S3Uri;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach a bucket from the command line, as the spec's {@code s3:} block says it; credentials come from the AWS provider chain. */
final class S3Options {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The store's address for MinIO and other S3-compatible stores (e.g. http://127.0.0.1:9000); default: AWS S3.")
    String endpoint;

    @Option(names = "--region", description = "The signing region; default: AWS_REGION or the AWS profile's (us-east-1 with --endpoint).")
    String region;

    @Option(names = "--path-style", arity = "0..1", paramLabel = "true|false",
            description = "Address buckets as endpoint/bucket; default: true with --endpoint, false without.")
    Boolean pathStyle;

    S3Settings settings() {
        return new S3Settings(Optional.ofNullable(endpoint).map(S3Options::endpoint), Optional.ofNullable(region),
                pathStyle != null ? pathStyle : endpoint != null, S3Settings.DEFAULT_LIST_EVERY);
    }

    /** Never echoes the text: a user or password in it is a credential. */
    private static URI endpoint(String text) {
        URI uri = null;
        if (!text.contains("@")) {
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                // Refused below, without the text.
            }
        }
        if (uri == null || uri.getHost() == null || uri.getScheme() == null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw ChangepipeException.user("--endpoint: must be an http:// or https:// URL with a host and without a user"
                    + " or password, such as http://127.0.0.1:9000");
        }
        return uri;
    }

    static S3Uri uri(String option, String text) {
        try {
            return S3Uri.parse(text);
        } catch (IllegalArgumentException e) {
            throw ChangepipeException.user(option + ": " + e.getMessage());
        }
    }
}
