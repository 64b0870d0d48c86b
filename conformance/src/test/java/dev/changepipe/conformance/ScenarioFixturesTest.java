package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hard-coded fixture of the suites, run through the reference model without any engine: the
 * model and the hand-written expected tables must agree. A disagreement means a wrong fixture or a
 * wrong model, and either would mislead every engine that runs the suites.
 */
class ScenarioFixturesTest {

    @TempDir
    Path dir;

    static Stream<Named<Scenario>> fixtures() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(AutoCdcExampleConformanceTest.scenarios());
        all.addAll(Scd1ConformanceTest.scenarios());
        all.addAll(Scd2ConformanceTest.scenarios());
        return all.stream().map(s -> Named.of(s.name(), s));
    }

    /** Stand-in ingestion times for the model: file n (in landing order) at second n of 2000-01-01, UTC. */
    static OffsetDateTime ingestedAt(long fileOrder) {
        return OffsetDateTime.of(2000, 1, 1, 0, 0, (int) fileOrder, 0, ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theReferenceModelGivesTheExpectedTables(Scenario scenario) {
        PipelineSpec spec = scenario.parseSpec(dir);
        ReferenceModel model = new ReferenceModel(spec, ScenarioFixturesTest::ingestedAt);
        List<ReferenceModel.Change> changes = scenario.changes(spec);
        assertThat(scenario.current() != null || scenario.history() != null).as("a fixture expects something").isTrue();
        if (scenario.current() != null) {
            assertThat(model.currentTable(changes)).as("current table of %s", scenario)
                    .isEqualTo(scenario.current().sortedBy(spec.keys()));
        }
        if (scenario.history() != null) {
            Table expected = scenario.history().resolve(name -> ingestionTimeOf(scenario, name));
            List<String> order = new ArrayList<>(spec.keys());
            order.add(spec.historyColumns().start());
            assertThat(model.historyTable(changes).project(expected.columns()).sortedBy(order))
                    .as("history table of %s", scenario)
                    .isEqualTo(expected.sortedBy(order));
        }
    }

    private static String ingestionTimeOf(Scenario scenario, String fileName) {
        for (int i = 0; i < scenario.files().size(); i++) {
            if (scenario.files().get(i).name().equals(fileName)) {
                return Canonical.of(ingestedAt(i + 1), ColumnType.TIMESTAMPTZ);
            }
        }
        throw new IllegalArgumentException("no file " + fileName + " in " + scenario.name());
    }
}
