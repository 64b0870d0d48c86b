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
        return factory(spec.engine().type()).create(spec);
    }

    /** Fails, as {@link #open} would, when no engine of {@code type} is on the class path. */
    public static void require(String type) {
        factory(type);
    }

    private static EngineFactory factory(String type) {
        List<String> available = new ArrayList<>();
        for (EngineFactory factory : ServiceLoader.load(EngineFactory.class)) {
            if (factory.type().equals(type)) {
                return factory;
            }
            available.add(factory.type());
        }
        throw ChangepipeException.user("engine.type: engine '" + type + "' is not available; available: "
                + (available.isEmpty() ? "none" : String.join(", ", available))
                + ". The spark engine is a separate module: run through the ./changepipe launcher, which adds it when"
                + " the spec or --engine asks for it, or see docs/engines.md");
    }
}
