package dev.changepipe.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingZonesTest {
    @TempDir
    Path dir;

    PipelineSpec spec(String landing) {
        return SpecLoader.parse("name: users\nlanding: " + landing + "\ncolumns: {id: bigint}\nkeys: [id]\n", dir, "users.yaml");
    }

    @Test
    void aFolderIsOpenedHere() {
        try (LandingZone zone = LandingZones.open(spec("landing"), null, Clock.systemUTC())) {
            assertThat(zone).isInstanceOf(LandingFolder.class);
            assertThat(zone.location()).isEqualTo(dir.resolve("landing").toString());
        }
    }

    @Test
    void aBucketWithoutTheLandingS3ModuleIsAUserErrorNamingTheModule() {
        // core's tests have no landing-s3 on the class path, as a build without it would not.
        assertThatThrownBy(() -> LandingZones.open(spec("s3://change-files/users"), null, Clock.systemUTC()))
                .isInstanceOfSatisfying(ChangepipeException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR))
                .hasMessage("landing: s3://change-files/users is in a bucket, and reading buckets needs the landing-s3 module"
                        + " (changepipe-landing-s3), which is not on the class path");
    }
}
