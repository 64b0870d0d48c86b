package dev.changepipe.landing;

import dev.changepipe.engine.Engine;
import dev.changepipe.spec.PipelineSpec;
import java.time.Clock;

/**
 * Opens landing zones that are not a local folder; found with {@link java.util.ServiceLoader}, so that
 * core needs no client library of any store.
 */
public interface LandingZoneFactory {
    /** The address scheme this factory serves, such as {@code s3://}. */
    String scheme();

    /**
     * Opens the landing zone of {@code spec}, whose landing address has this factory's scheme.
     *
     * @param engine the pipeline's engine, already prepared; its file ledger says which objects an earlier run handled
     * @throws dev.changepipe.error.ChangepipeException a user error, one line, when the zone cannot be used
     *     (no such bucket, credentials refused, no answer from the store)
     */
    LandingZone open(PipelineSpec spec, Engine engine, Clock clock);
}
