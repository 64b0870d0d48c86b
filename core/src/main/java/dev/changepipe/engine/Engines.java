package dev.changepipe.engine;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the engine a spec asks for among the engines on the class path. */
public final class Engines {
    private Engines() {}

    public static Engine open(PipelineSpec spec) {
        List<String> available = new ArrayList<>();
        for (EngineFactory factory : ServiceLoader.load(EngineFactory.class)) {
            if (factory.type().equals(spec.engine().type())) {
                return factory.create(spec);
            }
            available.add(factory.type());
        }
        throw ChangepipeException.user("engine.type: unknown engine '" + spec.engine().type() + "'; available: "
                + (available.isEmpty() ? "none" : String.join(", ", available)));
    }
}
