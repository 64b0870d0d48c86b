package dev.changepipe.duckdb;

import dev.changepipe.error.ChangepipeException;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The off-heap memory a load's rows are staged in, checked usable when the engine opens rather than at the first load. */
final class ArrowMemory {
    /** What the JVM needs for Arrow's C data interface on Java 17; the jar's manifest and the launcher give it. */
    static final String JVM_OPTION = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private ArrowMemory() {}

    static BufferAllocator allocator() {
        BufferAllocator allocator = new RootAllocator();
        try {
            ArrowArrayStream.allocateNew(allocator).close();
        } catch (UnsupportedOperationException | ExceptionInInitializerError | NoClassDefFoundError e) {
            // The probe's few bytes were allocated before Arrow failed to mark them free: the allocator is
            // dropped, not closed, since closing it would only report them.
            throw ChangepipeException.user("the embedded engine needs the JVM option " + JVM_OPTION
                    + " (java -jar changepipe.jar and ./changepipe set it; add it where changepipe runs inside another program)");
        }
        return allocator;
    }
}
