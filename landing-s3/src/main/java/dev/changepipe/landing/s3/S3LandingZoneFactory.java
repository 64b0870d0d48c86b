package dev.changepipe.landing.s3;

import dev.changepipe.engine.Engine;
import dev.changepipe.landing.LandingZone;
import dev.changepipe.landing.LandingZoneFactory;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.S3Uri;
import java.time.Clock;

/** Serves {@code landing: s3://bucket/prefix}; found by {@link dev.changepipe.landing.LandingZones} through ServiceLoader. */
public final class S3LandingZoneFactory implements LandingZoneFactory {
    @Override
    public String scheme() {
        return S3Uri.SCHEME;
    }

    @Override
    public LandingZone open(PipelineSpec spec, Engine engine, Clock clock) {
        return S3LandingZone.open(spec, engine, clock);
    }
}
