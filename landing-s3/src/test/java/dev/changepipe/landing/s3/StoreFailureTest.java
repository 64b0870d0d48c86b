package dev.changepipe.landing.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StoreFailureTest {

    static StoreFailure answered(int status, String code) {
        return StoreFailure.of(S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build(), "change-files");
    }

    @Test
    void onlyAnObjectsOwnRefusalIsRecordedAgainstThatObject() {
        assertThat(answered(403, "AccessDenied").concernsOneObject()).isTrue();
        assertThat(answered(403, "InvalidObjectState").concernsOneObject()).isTrue();
        assertThat(answered(400, "KMS.DisabledException").concernsOneObject()).isTrue();
    }

    @Test
    void credentialsAndClockFailuresConcernEveryRequestAndAreNotRetried() {
        for (String code : new String[] {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "RequestTimeTooSkewed"}) {
            StoreFailure failure = answered(403, code);
            assertThat(failure.concernsOneObject()).as(code).isFalse();
            assertThat(failure.isTransient()).as(code).isFalse();
            assertThat(failure.reason()).as(code).contains(code);
        }
    }

    @Test
    void aStoreInTroubleAndAFailureWithoutAnAnswerAreRetried() {
        assertThat(answered(503, "SlowDown").isTransient()).isTrue();
        assertThat(answered(429, null).isTransient()).isTrue();
        assertThat(StoreFailure.of(SdkClientException.create("connect", new ConnectException("refused")), "b").isTransient())
                .isTrue();
        // A client-side failure with no answer from the store, such as a checksum that did not match.
        StoreFailure checksum = StoreFailure.of(SdkClientException.create("Data read has a different checksum"), "b");
        assertThat(checksum.isTransient()).isTrue();
        assertThat(checksum.concernsOneObject()).isFalse();
    }
}
