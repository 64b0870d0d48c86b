package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules 7.2–7.4 against the reference model: seeded random snapshots — keys leaving and coming back, values changing or
 * not, some snapshots sharing a time — land in a random order, split into random runs, and the current and history
 * tables must be the model's for the set of snapshots (of those sharing a time, the last to land counts).
 */
public abstract class SnapshotPropertyTest extends ConformanceSuite {

    /** How many of the seeds run: every one on the embedded engine; fewer where a run costs seconds. */
    protected int seeds() {
        return 20;
    }

    static LongStream seedRange() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.changepipe.conformance.SnapshotPropertyTest#seedRange")
    void theTablesAreTheModelsForTheSetOfSnapshots(long seed) {
        assumeTrue(seed <= seeds(), "seed not among those this engine runs");
        Random random = new Random(seed);
        List<Scenario.ChangeFile> files = snapshots(random);
        Collections.shuffle(files, random);
        try (PipelineHarness pipeline = openPipeline(SnapshotConformanceTest.SPEC)) {
            pipeline.processInBatches(batches(files, random));
            List<ReferenceModel.Change> rows = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                rows.addAll(Scenario.readChanges(pipeline.engine().shape(), files.get(i), i + 1));
            }
            ReferenceModel model = new ReferenceModel(pipeline.engine().shape());
            String context = "seed " + seed + ", files in landing order " + files.stream().map(Scenario.ChangeFile::name)
                    .toList();
            assertThat(pipeline.current()).as("current table, %s", context).isEqualTo(model.currentTable(rows));
            assertThat(pipeline.history()).as("history table, %s", context).isEqualTo(model.historyTable(rows));
        }
    }

    /** 4 to 8 dumps of up to 10 keys; their times drawn from fewer values than dumps, so some share one. */
    private static List<Scenario.ChangeFile> snapshots(Random random) {
        int count = 4 + random.nextInt(5);
        List<Scenario.ChangeFile> files = new ArrayList<>();
        String[] cities = {"Oslo", "Rome", "Lima"};
        String[] state = new String[11];
        for (int i = 0; i < count; i++) {
            long taken = 1 + random.nextInt(count - 1);
            List<String> rows = new ArrayList<>();
            for (int id = 1; id <= 10; id++) {
                if (random.nextInt(4) == 0) {
                    continue;
                }
                if (state[id] == null || random.nextInt(3) == 0) {
                    state[id] = cities[random.nextInt(cities.length)];
                }
                rows.add(id + ",p" + id + "," + state[id]);
            }
            if (rows.isEmpty()) {
                rows.add("1,p1,Oslo");
            }
            files.add(new Scenario.ChangeFile("people_" + (i + 1) + ".csv",
                    SnapshotConformanceTest.dump(taken, rows.toArray(String[]::new))));
        }
        return files;
    }

    /** The files in landing order, cut into one to three runs. */
    private static List<List<Scenario.ChangeFile>> batches(List<Scenario.ChangeFile> files, Random random) {
        List<List<Scenario.ChangeFile>> batches = new ArrayList<>();
        int runs = 1 + random.nextInt(3);
        int from = 0;
        for (int run = 0; run < runs; run++) {
            int to = run == runs - 1 ? files.size() : Math.min(files.size(), from + 1 + random.nextInt(files.size()));
            if (from < to) {
                batches.add(List.copyOf(files.subList(from, to)));
            }
            from = to;
        }
        return batches;
    }
}
