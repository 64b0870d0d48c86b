package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void aPrefixIsAFolderOfKeys() {
        S3Uri uri = S3Uri.parse("s3://change-files/landing/users/");

        assertThat(uri.bucket()).isEqualTo("change-files");
        assertThat(uri.prefix()).isEqualTo("landing/users");
        assertThat(uri.keyPrefix()).isEqualTo("landing/users/");
        assertThat(uri.key("users_1.csv")).isEqualTo("landing/users/users_1.csv");
        assertThat(uri.locationOf(uri.key("users_1.csv"))).isEqualTo("s3://change-files/landing/users/users_1.csv");
        assertThat(uri).hasToString("s3://change-files/landing/users");
    }

    @Test
    void theBucketAloneIsItsTopLevel() {
        S3Uri uri = S3Uri.parse("s3://change-files");

        assertThat(uri.prefix()).isEmpty();
        assertThat(uri.key("a.csv")).isEqualTo("a.csv");
        assertThat(uri).isEqualTo(S3Uri.parse("s3://change-files/")).hasToString("s3://change-files");
    }

    @Test
    void anythingButAnS3AddressIsRefused() {
        assertThatThrownBy(() -> S3Uri.parse("/tmp/landing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'/tmp/landing' is not an s3:// address such as s3://bucket/prefix");
        assertThatThrownBy(() -> new S3Uri("change-files", "a/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty path segment");
    }
}
