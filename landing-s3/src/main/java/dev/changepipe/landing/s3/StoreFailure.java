package dev.changepipe.landing.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Why a request to the store failed, told in our own words: the SDK's messages can carry request ids,
 * signatures and the names of credential providers, and none of that belongs in a one-line error.
 */
sealed interface StoreFailure {

    /** What went wrong, for a message that names the bucket and the endpoint before it. */
    String reason();

    /** Whether trying again later may work: the store did not answer, or answered that it is in trouble. */
    default boolean isTransient() {
        return false;
    }

    /** Whether the failure concerns the one object asked for, so that other objects may still be read. */
    default boolean concernsOneObject() {
        return false;
    }

    /** The store refused the credentials or the access. */
    record Denied(String code) implements StoreFailure {
        @Override
        public String reason() {
            String what = switch (code) {
                case "InvalidAccessKeyId" -> "the store does not know the access key";
                case "SignatureDoesNotMatch" -> "the secret key does not match the access key";
                case "ExpiredToken", "InvalidToken" -> "the session token is not valid";
                default -> "access denied";
            };
            return what + " (" + code + "); " + CREDENTIALS_HINT;
        }

        /** An object's own policy or ACL; any other code is about the credentials, clock or signature. */
        @Override
        public boolean concernsOneObject() {
            return code.equals("AccessDenied");
        }
    }

    record NoBucket(String bucket) implements StoreFailure {
        @Override
        public String reason() {
            return "bucket " + bucket + " does not exist";
        }
    }

    /** The AWS provider chain found no credentials. */
    record NoCredentials() implements StoreFailure {
        @Override
        public String reason() {
            return "no AWS credentials found; " + CREDENTIALS_HINT;
        }
    }

    /** No answer: connection refused, a timeout, an unknown host, a connection cut short. */
    record Unreachable(String detail) implements StoreFailure {
        @Override
        public String reason() {
            return "no answer from the store (" + detail + ")";
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** An answer that says the store is in trouble or busy: 5xx, 429, 408, throttling. */
    record Troubled(int status, String code) implements StoreFailure {
        @Override
        public String reason() {
            return "the store answered " + status + (code == null ? "" : " (" + code + ")");
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /**
     * Any other refusal of the request; status 0 when the SDK failed without an answer (a checksum that
     * did not match, say), which may well not happen again.
     */
    record Refused(int status, String code) implements StoreFailure {
        @Override
        public String reason() {
            return "the store refused the request: " + status + (code == null ? "" : " (" + code + ")");
        }

        @Override
        public boolean isTransient() {
            return status == 0;
        }

        /** A 4xx answer about this one request: an archived object (InvalidObjectState), a key it cannot decrypt. */
        @Override
        public boolean concernsOneObject() {
            return status != 0;
        }
    }

    String CREDENTIALS_HINT = "credentials come from the AWS provider chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            + " in the environment, or a profile chosen with AWS_PROFILE";

    static StoreFailure of(SdkException e, String bucket) {
        if (e instanceof NoSuchBucketException) {
            return new NoBucket(bucket);
        }
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if ("NoSuchBucket".equals(code)) {
                return new NoBucket(bucket);
            }
            // An archived object (Glacier) answers 403 too, but it is about that object, not about access.
            if ((status == 401 || status == 403) && !"InvalidObjectState".equals(code)) {
                return new Denied(code == null ? String.valueOf(status) : code);
            }
            if (status >= 500 || status == 429 || status == 408 || (code != null && code.contains("Throttl"))) {
                return new Troubled(status, code);
            }
            return new Refused(status, code);
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return new Unreachable("connection refused");
            }
            if (cause instanceof UnknownHostException) {
                return new Unreachable("unknown host " + cause.getMessage());
            }
            if (cause instanceof SocketTimeoutException) {
                return new Unreachable("timed out");
            }
            if (cause instanceof IOException io) {
                return new Unreachable(io.getClass().getSimpleName());
            }
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("credentials")) {
            return new NoCredentials();
        }
        if (message.contains("timed out") || message.contains("timeout")) {
            return new Unreachable("timed out");
        }
        return new Refused(0, e.getClass().getSimpleName());
    }
}
