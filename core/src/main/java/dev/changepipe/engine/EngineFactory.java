package dev.changepipe.engine;

import dev.changepipe.spec.PipelineSpec;

/** Creates engines of one type; found with {@link java.util.ServiceLoader}. */
public interface EngineFactory {
    /** The {@code engine.type} this factory serves. */
    String type();

    /** Opens the engine for a spec whose {@code engine.type} is {@link #type()}; fails with a user error naming the field on bad engine options. */
    Engine create(PipelineSpec spec);
}
