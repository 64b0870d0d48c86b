package dev.changepipe.landing;

import dev.changepipe.engine.Engine;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Landing;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.S3Uri;
import java.time.Clock;
import java.util.ServiceLoader;

/** Opens a spec's landing zone: a local folder here, anything else through the {@link LandingZoneFactory} of its scheme. */
public final class LandingZones {
    private LandingZones() {}

    /** Opens the landing zone; call after {@link Engine#prepare()}, since a zone may read the file ledger. */
    public static LandingZone open(PipelineSpec spec, Engine engine, Clock clock) {
        if (spec.landingZone() instanceof Landing.Folder folder) {
            return new LandingFolder(folder.path(), spec.pattern(), spec.schedule().settle(), clock);
        }
        for (LandingZoneFactory factory : ServiceLoader.load(LandingZoneFactory.class)) {
            if (factory.scheme().equals(S3Uri.SCHEME)) {
                return factory.open(spec, engine, clock);
            }
        }
        throw ChangepipeException.user("landing: " + spec.landingZone() + " is in a bucket, and reading buckets needs the"
                + " landing-s3 module (changepipe-landing-s3), which is not on the class path");
    }
}
