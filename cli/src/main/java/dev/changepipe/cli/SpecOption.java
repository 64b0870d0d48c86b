package dev.changepipe.cli;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --spec} option every pipeline command takes. */
final class SpecOption {
    @Option(names = "--spec", paramLabel = "FILE", defaultValue = "pipeline.yaml",
            description = "Pipeline spec (YAML). Default: ${DEFAULT-VALUE}.")
    Path file;

    PipelineSpec load() {
        return SpecLoader.load(file);
    }
}
