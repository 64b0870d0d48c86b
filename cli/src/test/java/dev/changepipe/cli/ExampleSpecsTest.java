package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.FileMode;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The specs under examples/ are what the README points new users at: each must load as it is. */
class ExampleSpecsTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void everyExampleSpecLoads() throws Exception {
        List<Path> specs;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(specs).hasSizeGreaterThanOrEqualTo(4);
        for (Path spec : specs) {
            assertThat(SpecLoader.load(spec)).as(spec.toString()).isNotNull();
        }
    }

    @Test
    void theOriginalProjectsFilesAsDumpsAreASnapshotPipelineOfItsEightColumns() {
        PipelineSpec changes = SpecLoader.load(EXAMPLES.resolve("customer-original/pipeline.yaml"));
        PipelineSpec dumps = SpecLoader.load(EXAMPLES.resolve("customer-original/snapshot.yaml"));
        assertThat(dumps.mode()).isEqualTo(FileMode.SNAPSHOT);
        assertThat(changes.mode()).isEqualTo(FileMode.CHANGES);
        assertThat(dumps.columns()).isEqualTo(changes.columns());
        assertThat(dumps.sequenceBy()).isEmpty();
    }
}
