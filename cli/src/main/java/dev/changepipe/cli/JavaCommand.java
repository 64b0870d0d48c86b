package dev.changepipe.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line that runs changepipe's classes in a child JVM: this JVM's java and the options changepipe needs. */
public final class JavaCommand {
    /**
     * Arrow's memory, in which the embedded engine stages a load, needs java.nio open; {@code java -jar changepipe.jar}
     * gets it from the jar's manifest, a class path launch from this option.
     */
    public static final String ARROW_MEMORY = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private JavaCommand() {}

    /** {@code java}, the options changepipe needs, then {@code jvmOptions}; the caller adds the class path and main class. */
    public static List<String> of(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ARROW_MEMORY);
        command.addAll(List.of(jvmOptions));
        return command;
    }
}
