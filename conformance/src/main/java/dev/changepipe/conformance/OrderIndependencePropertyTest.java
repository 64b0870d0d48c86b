package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.changepipe.scd.CurrentAsOf;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 5.4 as a property: for random change sets ({@link RandomChanges}), split at random into one
 * to five files landing in random order and processed at once, file by file or in random batches,
 * the engine's current and history tables equal the {@link ReferenceModel}'s — which sees only the
 * set of changes — and the current table equals the current rows of history (rule 5.5).
 *
 * <p>Each seed is one test; a failure names the seed and prints the spec, the files in landing
 * order and how they were processed, so it can be replayed as a fixed scenario.
 */
public abstract class OrderIndependencePropertyTest extends ConformanceSuite {

    /**
     * How many of the 25 seeds with a sequence column run; an engine too slow for all of them may
     * lower it (the others are skipped). 25 cases of 30 to 50 changes take well under a minute on
     * the embedded engine.
     */
    protected int seeds() {
        return 25;
    }

    /** Whether the seed with a sequence column runs: by default the first {@link #seeds()}. */
    protected boolean runs(long seed) {
        return seed <= seeds();
    }

    /** How many of the 8 seeds without a sequence column run; as {@link #seeds()}. */
    protected int seedsWithoutSequenceBy() {
        return 8;
    }

    /** How many of the 15 seeds with {@code ignore_null_updates} run; as {@link #seeds()}. */
    protected int seedsIgnoringNulls() {
        return 15;
    }

    static LongStream seedsWithSequence() {
        return LongStream.rangeClosed(1, 25);
    }

    static LongStream seedsWithoutSequence() {
        return LongStream.rangeClosed(1001, 1008);
    }

    static LongStream seedsWithNullsIgnored() {
        return LongStream.rangeClosed(2001, 2015);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.changepipe.conformance.OrderIndependencePropertyTest#seedsWithSequence")
    void theTablesDependOnlyOnTheSetOfChanges(long seed) {
        assumeTrue(runs(seed), "seed not among those this engine runs");
        RandomChanges.Case generated = RandomChanges.generate(seed, true);
        try (PipelineHarness pipeline = openPipeline(generated.scenario().spec())) {
            pipeline.processInBatches(generated.batches());
            // The model sees the files in name order, not in landing order: with distinct sequence
            // values per key (and exact duplicates otherwise) only the set of changes may matter.
            List<Scenario.ChangeFile> byName = generated.scenario().files().stream()
                    .sorted(Comparator.comparing(Scenario.ChangeFile::name))
                    .toList();
            List<ReferenceModel.Change> changes = generated.scenario().withFiles(byName).changes(pipeline.engine().shape());
            assertAgreesWithModel(pipeline, new ReferenceModel(pipeline.engine().shape()), changes, generated);
            assertAsOfAgreesWithModel(pipeline, changes, generated);
        }
    }

    /**
     * Rule 2.3 with rule 5.4: with {@code ignore_null_updates} the NULLs drawn are partial updates,
     * filled from rows that may land later, in other files and other runs; the tables must still be
     * the model's for the set of changes.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.changepipe.conformance.OrderIndependencePropertyTest#seedsWithNullsIgnored")
    void withIgnoreNullUpdatesTheTablesDependOnlyOnTheSetOfChanges(long seed) {
        assumeTrue(seed - 2000 <= seedsIgnoringNulls(), "seed beyond seedsIgnoringNulls()");
        RandomChanges.Case generated = RandomChanges.generate(seed, true, true);
        try (PipelineHarness pipeline = openPipeline(generated.scenario().spec())) {
            assertThat(pipeline.spec().ignoreNullUpdates()).as("the generated spec fills a column").isNotEmpty();
            pipeline.processInBatches(generated.batches());
            List<Scenario.ChangeFile> byName = generated.scenario().files().stream()
                    .sorted(Comparator.comparing(Scenario.ChangeFile::name))
                    .toList();
            List<ReferenceModel.Change> changes = generated.scenario().withFiles(byName).changes(pipeline.engine().shape());
            assertAgreesWithModel(pipeline, new ReferenceModel(pipeline.engine().shape()), changes, generated);
            assertAsOfAgreesWithModel(pipeline, changes, generated);
        }
    }

    /**
     * Without sequence_by the order is arrival, so the tables do depend on it; they must still be the
     * model's for the files in the order they landed, with each file's ingestion time as its
     * sequence value.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.changepipe.conformance.OrderIndependencePropertyTest#seedsWithoutSequence")
    void withoutSequenceByTheTablesFollowArrival(long seed) {
        assumeTrue(seed - 1000 <= seedsWithoutSequenceBy(), "seed beyond seedsWithoutSequenceBy()");
        RandomChanges.Case generated = RandomChanges.generate(seed, false);
        try (PipelineHarness pipeline = openPipeline(generated.scenario().spec())) {
            pipeline.processInBatches(generated.batches());
            // The scenario's files are in landing order; file order n (from 1) was ingested at the
            // time the raw table says.
            List<Scenario.ChangeFile> landed = generated.scenario().files();
            UnaryOperator<String> ingestionTime = pipeline.ingestionTimeLookup();
            ReferenceModel model = new ReferenceModel(pipeline.engine().shape(),
                    fileOrder -> OffsetDateTime.parse(ingestionTime.apply(landed.get((int) fileOrder - 1).name())));
            assertAgreesWithModel(pipeline, model, generated.scenario().changes(pipeline.engine().shape()), generated);
        }
    }

    /**
     * Rule 3.5: as of the sequence value of one row drawn by the seed, the current table is the model's for the changes
     * up to it; the value is taken as the file wrote it, so every sequence type's text is read as {@code --as-of} reads it.
     */
    private static void assertAsOfAgreesWithModel(PipelineHarness pipeline, List<ReferenceModel.Change> changes,
            RandomChanges.Case generated) {
        Random random = new Random(generated.seed());
        List<Scenario.ChangeFile> files = generated.scenario().files();
        int drawn = random.nextInt(files.size());
        // A file may hold no rows: a seed that adds phone leaves out duplicates (RandomChanges); then the next one with rows.
        List<String> lines = java.util.stream.IntStream.range(0, files.size())
                .mapToObj(i -> files.get((drawn + i) % files.size()).csv().lines().toList())
                .filter(l -> l.size() > 1).findFirst().orElseThrow();
        // The sequence column's place in this file's header: a file may have a column the spec lacks (rule 1.8).
        int sequence = List.of(lines.get(0).split(",", -1)).indexOf(pipeline.spec().sequenceBy().orElseThrow());
        String line = lines.get(1 + random.nextInt(lines.size() - 1));
        String asOf = line.split(",", -1)[sequence];
        assertThat(pipeline.currentAsOf(asOf))
                .as("current table as of %s, %s", asOf, generated.describe())
                .isEqualTo(new ReferenceModel(pipeline.engine().shape()).currentTableAsOf(changes,
                        CurrentAsOf.time(pipeline.spec(), asOf)));
    }

    private static void assertAgreesWithModel(PipelineHarness pipeline, ReferenceModel model,
            List<ReferenceModel.Change> changes, RandomChanges.Case generated) {
        String context = generated.describe();
        assertThat(pipeline.current()).as("current table, %s", context).isEqualTo(model.currentTable(changes));
        assertThat(pipeline.history()).as("history table, %s", context).isEqualTo(model.historyTable(changes));
        assertHistoryInvariants(pipeline, context);
    }
}
