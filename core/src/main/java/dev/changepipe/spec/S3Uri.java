package dev.changepipe.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, written {@code s3://bucket/prefix}: the folder-like place in an
 * S3-compatible store where files land or are shipped to. The prefix is kept without a trailing slash;
 * the objects "in" it are the keys {@code prefix/name} whose name has no further slash.
 *
 * @param prefix empty for the bucket's top level
 */
public record S3Uri(String bucket, String prefix) {
    public static final String SCHEME = "s3://";
    // The S3 rules for new buckets: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Uri {
        problem(bucket, prefix).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** Parses {@code s3://bucket} or {@code s3://bucket/prefix[/]}; the message of the exception says what is wrong. */
    public static S3Uri parse(String text) {
        if (!text.startsWith(SCHEME)) {
            throw new IllegalArgumentException("'" + text + "' is not an s3:// address such as s3://bucket/prefix");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        Optional<String> problem = problem(bucket, prefix);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("'" + text + "': " + problem.get());
        }
        return new S3Uri(bucket, prefix);
    }

    private static Optional<String> problem(String bucket, String prefix) {
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            return Optional.of("'" + bucket + "' is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            return Optional.of("the prefix '" + prefix + "' has an empty path segment");
        }
        if (prefix.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("the prefix contains a control character");
        }
        return Optional.empty();
    }

    /** What starts the key of every object in the prefix: {@code prefix/}, or nothing at the bucket's top level. */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The key of the object called {@code name} in the prefix. */
    public String key(String name) {
        return keyPrefix() + name;
    }

    /** {@code s3://bucket/key}: how the file ledger names an object. */
    public String locationOf(String key) {
        return SCHEME + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
