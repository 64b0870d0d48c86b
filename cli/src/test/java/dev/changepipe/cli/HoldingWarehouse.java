package dev.changepipe.cli;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.spec.SpecLoader;

/**
 * A child JVM's main for the tests of a run that waits its turn: opens a pipeline's warehouse through the engine, as
 * a one-off {@code changepipe query} does, says so on standard output, keeps it open for the given milliseconds, then
 * closes it and exits.
 */
final class HoldingWarehouse {
    static final String OPEN = "warehouse open";

    private HoldingWarehouse() {}

    public static void main(String[] args) throws Exception {
        try (Engine engine = Engines.open(SpecLoader.load(java.nio.file.Path.of(args[0])))) {
            engine.prepare();
            System.out.println(OPEN);
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
        System.out.println("warehouse closed");
    }
}
