package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.FeedChange;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The change feed of the current table, rule 4 of docs/semantics.md: what each commit version holds
 * (4.1), that changes which leave the current row as it is add nothing and that a replay rebuilds
 * the table (4.2), and the consumers' committed offsets (4.3).
 *
 * <p>Commit version numbers are the engine's; the tests only rely on their order.
 */
public abstract class ChangeFeedConformanceTest extends ConformanceSuite {
    private static final int ALL = Integer.MAX_VALUE;

    @Test
    void eachCommitVersionHoldsInsertsUpdatesAndDeletesOfTheKeysWhoseCurrentRowChanged() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,1
                    2,Bob,Rome,U,1
                    3,Cy,,U,1
                    """);
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", """
                    id,name,city,op,seq
                    1,Ann,Lima,U,2
                    2,,,D,2
                    3,Cy,Kyiv,U,2
                    """);
            pipeline.runUntilIdle();

            ChangeFeedBatch feed = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(feed.sinceVersion()).as("a new consumer reads from the start").isEqualTo(0);
            Map<Long, List<String>> versions = byVersion(pipeline.spec(), feed.changes());
            assertThat(versions).as("one commit version per run that changed rows: %s", versions).hasSize(2);
            List<Long> numbers = new ArrayList<>(versions.keySet());
            assertThat(feed.lastVersion()).isEqualTo(numbers.get(1));
            // Within a version changes come by key, a pre-image before its post-image (ChangeFeedBatch).
            assertThat(versions.get(numbers.get(0))).containsExactly(
                    "insert | 1 | Ann | Oslo",
                    "insert | 2 | Bob | Rome",
                    "insert | 3 | Cy | null");
            assertThat(versions.get(numbers.get(1))).containsExactly(
                    "update_preimage | 1 | Ann | Oslo",
                    "update_postimage | 1 | Ann | Lima",
                    "delete | 2 | Bob | Rome",
                    "update_preimage | 3 | Cy | null",
                    "update_postimage | 3 | Cy | Kyiv");

            // The feed table holds the same rows, with a commit timestamp on each.
            PipelineSpec spec = pipeline.spec();
            String changes = PipelineHarness.quote(spec.tables().changes());
            Table table = feedTable(pipeline);
            List<String> fromTable = new ArrayList<>();
            for (List<String> row : table.rows()) {
                fromTable.add(row.get(0) + " " + String.join(" | ", row.subList(1, row.size())));
            }
            List<String> fromApi = new ArrayList<>();
            versions.forEach((version, lines) -> lines.forEach(line -> fromApi.add(version + " " + line)));
            assertThat(fromTable).containsExactlyInAnyOrderElementsOf(fromApi);
            assertThat(Canonical.of(pipeline.query("SELECT count(*) FROM " + changes
                    + " WHERE _commit_timestamp IS NULL").rows().get(0).get(0))).isEqualTo("0");
        }
    }

    /**
     * Rule 2.3 in the feed: an update's post-image carries the filled values, a change of NULLs only
     * adds nothing, and a late value that alters the filled current row is an update.
     */
    @Test
    void withIgnoreNullUpdatesTheFeedShowsTheFilledValues() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC_IGNORING_NULLS)) {
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,1
                    2,Bob,Rome,U,1
                    """);
            pipeline.runUntilIdle();
            pipeline.deliver("people_2.csv", """
                    id,name,city,op,seq
                    1,,Lima,U,3
                    2,,,U,3
                    """);
            pipeline.runUntilIdle();
            pipeline.deliver("people_3.csv", """
                    id,name,city,op,seq
                    2,Rob,Kyiv,U,2
                    """);
            pipeline.runUntilIdle();

            Map<Long, List<String>> versions = byVersion(pipeline.spec(),
                    pipeline.engine().readChangeFeed("reader", ALL).changes());
            assertThat(versions).as("one commit version per run that changed rows: %s", versions).hasSize(3);
            List<Long> numbers = new ArrayList<>(versions.keySet());
            assertThat(versions.get(numbers.get(1))).as("key 2's NULLs keep Bob, Rome and change nothing")
                    .containsExactly(
                            "update_preimage | 1 | Ann | Oslo",
                            "update_postimage | 1 | Ann | Lima");
            assertThat(versions.get(numbers.get(2))).as("the late Rob, Kyiv at 2 fills key 2's NULLs at 3")
                    .containsExactly(
                            "update_preimage | 2 | Bob | Rome",
                            "update_postimage | 2 | Rob | Kyiv");
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Lima
                    2  | Rob  | Kyiv
                    """).sortedBy(List.of("id")));
        }
    }

    @Test
    void aChangeThatLeavesTheCurrentRowAsItIsAddsNothingToTheFeed() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Rome,U,5
                    2,Bob,Oslo,U,1
                    2,,,D,5
                    3,Cy,,U,1
                    """);
            pipeline.runUntilIdle();
            ChangeFeedBatch first = pipeline.engine().readChangeFeed("reader", ALL);
            pipeline.engine().commitFeedOffset("reader", first.lastVersion());

            // A late older change, a late change of a key deleted later, NULL over NULL, and an
            // identical newer re-send: none alters a current row.
            pipeline.deliver("people_2.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,3
                    2,Bob,Lima,U,3
                    3,Cy,,U,2
                    1,Ann,Rome,U,6
                    """);
            pipeline.runUntilIdle();

            ChangeFeedBatch second = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(byVersion(pipeline.spec(), second.changes())).as("feed after the no-op changes").isEmpty();
            assertThat(feedTable(pipeline).rows()).as("feed table").hasSameSizeAs(first.changes());
            // Yet the history took the late changes: it reads the raw changes, not this feed (rule 6.3).
            assertThat(pipeline.history().where("id", "1").project(List.of("city", "start_time", "end_time")))
                    .isEqualTo(Table.parse("""
                            city | start_time | end_time
                            Oslo | 3          | 5
                            Rome | 5          | null
                            """));
            assertThat(pipeline.history().where("id", "2").project(List.of("city", "start_time", "end_time")))
                    .isEqualTo(Table.parse("""
                            city | start_time | end_time
                            Oslo | 1          | 3
                            Lima | 3          | 5
                            """));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void replayingTheFeedFromTheStartReproducesTheCurrentTable(long seed) {
        // Each seed is a few files in several batches, a pipeline cycle each: without every variant, the first seed.
        assumeTrue(EVERY_VARIANT || seed == 1, "seed " + seed + " runs only with -Dchangepipe.conformance.every-variant=true");
        RandomChanges.Case generated = RandomChanges.generate(seed, true);
        String context = generated.describe();
        try (PipelineHarness pipeline = openPipeline(generated.scenario().spec())) {
            pipeline.processInBatches(generated.batches());
            PipelineSpec spec = pipeline.spec();

            // Through the engine's API, version by version as a consumer would.
            Map<List<String>, List<String>> replayed = new HashMap<>();
            ChangeFeedBatch feed = pipeline.engine().readChangeFeed("replay", ALL);
            List<Row> rows = new ArrayList<>();
            for (FeedChange change : feed.changes()) {
                rows.add(new Row(change.commitVersion(), change.changeType(), canonicalValues(spec, change.values())));
            }
            replay(spec, rows, replayed, context);
            assertThat(asTable(spec, replayed)).as("the current table replayed from the feed API, %s", context)
                    .isEqualTo(pipeline.current());

            // Straight from the feed table.
            Map<List<String>, List<String>> fromTable = new HashMap<>();
            List<Row> tableRows = new ArrayList<>();
            for (List<String> row : feedTable(pipeline).rows()) {
                tableRows.add(new Row(Long.parseLong(row.get(0)), row.get(1), new ArrayList<>(row.subList(2, row.size()))));
            }
            // Within a version, a key's pre-image comes before its post-image.
            tableRows.sort(Comparator.comparingLong(Row::version).thenComparing(r -> r.type().equals("update_preimage") ? 0 : 1));
            replay(spec, tableRows, fromTable, context);
            assertThat(asTable(spec, fromTable)).as("the current table replayed from the feed table, %s", context)
                    .isEqualTo(pipeline.current());
        }
    }

    @Test
    void readingAgainWithoutACommitReturnsTheSameChanges() {
        try (PipelineHarness pipeline = pipelineWithVersions(2)) {
            ChangeFeedBatch first = pipeline.engine().readChangeFeed("reader", ALL);
            ChangeFeedBatch again = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(first.changes()).hasSize(4);
            assertThat(again.sinceVersion()).isEqualTo(first.sinceVersion());
            assertThat(again.lastVersion()).isEqualTo(first.lastVersion());
            assertThat(byVersion(pipeline.spec(), again.changes())).isEqualTo(byVersion(pipeline.spec(), first.changes()));
        }
    }

    @Test
    void afterACommitTheNextReadStartsAfterTheCommittedVersion() {
        try (PipelineHarness pipeline = pipelineWithVersions(2)) {
            ChangeFeedBatch first = pipeline.engine().readChangeFeed("reader", ALL);
            pipeline.engine().commitFeedOffset("reader", first.lastVersion());
            ChangeFeedBatch empty = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(empty.changes()).isEmpty();
            assertThat(empty.sinceVersion()).isEqualTo(first.lastVersion());

            pipeline.deliver("people_9.csv", """
                    id,name,city,op,seq
                    1,Ann,Lima,U,9
                    """);
            pipeline.runUntilIdle();
            ChangeFeedBatch next = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(next.sinceVersion()).isEqualTo(first.lastVersion());
            assertThat(next.changes()).allSatisfy(c -> assertThat(c.commitVersion()).isGreaterThan(first.lastVersion()));
            assertThat(byVersion(pipeline.spec(), next.changes()).values()).containsExactly(List.of(
                    "update_preimage | 1 | Ann | City2",
                    "update_postimage | 1 | Ann | Lima"));
        }
    }

    @Test
    void consumersKeepIndependentOffsets() {
        try (PipelineHarness pipeline = pipelineWithVersions(2)) {
            ChangeFeedBatch all = pipeline.engine().readChangeFeed("a", ALL);
            List<Long> versions = new ArrayList<>(byVersion(pipeline.spec(), all.changes()).keySet());
            pipeline.engine().commitFeedOffset("a", all.lastVersion());

            ChangeFeedBatch b = pipeline.engine().readChangeFeed("b", ALL);
            assertThat(b.sinceVersion()).isEqualTo(0);
            assertThat(byVersion(pipeline.spec(), b.changes())).isEqualTo(byVersion(pipeline.spec(), all.changes()));
            pipeline.engine().commitFeedOffset("b", versions.get(0));

            assertThat(pipeline.engine().readChangeFeed("a", ALL).changes()).isEmpty();
            assertThat(byVersion(pipeline.spec(), pipeline.engine().readChangeFeed("b", ALL).changes()).keySet())
                    .containsExactly(versions.get(1));
        }
    }

    @Test
    void anOffsetNeverMovesBack() {
        try (PipelineHarness pipeline = pipelineWithVersions(2)) {
            ChangeFeedBatch all = pipeline.engine().readChangeFeed("reader", ALL);
            List<Long> versions = new ArrayList<>(byVersion(pipeline.spec(), all.changes()).keySet());
            pipeline.engine().commitFeedOffset("reader", versions.get(1));
            try {
                pipeline.engine().commitFeedOffset("reader", versions.get(0));
            } catch (RuntimeException refused) {
                // Refusing the earlier offset is as good as ignoring it; moving back is not.
            }
            ChangeFeedBatch after = pipeline.engine().readChangeFeed("reader", ALL);
            assertThat(after.sinceVersion()).isEqualTo(versions.get(1));
            assertThat(after.changes()).isEmpty();
        }
    }

    @Test
    void aReadReturnsAtMostTheRequestedNumberOfVersions() {
        try (PipelineHarness pipeline = pipelineWithVersions(3)) {
            List<Long> versions = new ArrayList<>(
                    byVersion(pipeline.spec(), pipeline.engine().readChangeFeed("probe", ALL).changes()).keySet());
            assertThat(versions).hasSize(3);

            ChangeFeedBatch one = pipeline.engine().readChangeFeed("reader", 1);
            assertThat(byVersion(pipeline.spec(), one.changes()).keySet()).containsExactly(versions.get(0));
            assertThat(one.lastVersion()).isEqualTo(versions.get(0));
            ChangeFeedBatch two = pipeline.engine().readChangeFeed("reader", 2);
            assertThat(byVersion(pipeline.spec(), two.changes()).keySet()).containsExactly(versions.get(0), versions.get(1));

            pipeline.engine().commitFeedOffset("reader", one.lastVersion());
            ChangeFeedBatch rest = pipeline.engine().readChangeFeed("reader", 5);
            assertThat(byVersion(pipeline.spec(), rest.changes()).keySet()).containsExactly(versions.get(1), versions.get(2));
            assertThat(rest.lastVersion()).isEqualTo(versions.get(2));
        }
    }

    /**
     * A pipeline whose feed has {@code versions} commit versions: the first inserts key 1 in City1
     * and key 2, each later one moves key 1 to the next city.
     */
    private PipelineHarness pipelineWithVersions(int versions) {
        PipelineHarness pipeline = openPipeline(People.SPEC);
        try {
            for (int i = 1; i <= versions; i++) {
                pipeline.deliver("people_" + i + ".csv", People.HEADER + "\n1,Ann,City" + i + ",U," + i + "\n"
                        + (i == 1 ? "2,Bob,Rome,U,1\n" : ""));
                pipeline.runUntilIdle();
            }
            return pipeline;
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private record Row(long version, String type, List<String> values) {}

    /**
     * Applies feed rows to {@code table} (key to values), checking each against what the feed said
     * before: an insert is of a new key, a pre-image and a delete carry the key's last values, a
     * post-image follows its pre-image and differs from it, and a key changes at most once a version.
     */
    private static void replay(PipelineSpec spec, List<Row> rows, Map<List<String>, List<String>> table, String context) {
        int keys = spec.keys().size();
        Map<List<String>, String> seenInVersion = new HashMap<>();
        Map<List<String>, List<String>> preimages = new HashMap<>();
        long version = Long.MIN_VALUE;
        for (Row row : rows) {
            if (row.version() != version) {
                assertThat(row.version()).as("versions in order, %s", context).isGreaterThan(version);
                version = row.version();
                seenInVersion.clear();
                preimages.clear();
            }
            List<String> key = List.copyOf(row.values().subList(0, keys));
            String before = seenInVersion.put(key, row.type());
            String where = "feed row " + row + " of " + context;
            switch (row.type()) {
                case "insert" -> {
                    assertThat(before).as("key changed twice in a version: %s", where).isNull();
                    assertThat(table).as("insert of a key already present: %s", where).doesNotContainKey(key);
                    table.put(key, row.values());
                }
                case "update_preimage" -> {
                    assertThat(before).as("key changed twice in a version: %s", where).isNull();
                    assertThat(table.get(key)).as("pre-image against the last values: %s", where).isEqualTo(row.values());
                    preimages.put(key, row.values());
                }
                case "update_postimage" -> {
                    assertThat(before).as("post-image without its pre-image: %s", where).isEqualTo("update_preimage");
                    assertThat(row.values()).as("an update that changes nothing: %s", where).isNotEqualTo(preimages.get(key));
                    table.put(key, row.values());
                }
                case "delete" -> {
                    assertThat(before).as("key changed twice in a version: %s", where).isNull();
                    assertThat(table.get(key)).as("delete with the last values: %s", where).isEqualTo(row.values());
                    table.remove(key);
                }
                default -> throw new AssertionError("unknown change type in " + where);
            }
        }
    }

    private static Table asTable(PipelineSpec spec, Map<List<String>, List<String>> rows) {
        return new Table(spec.targetColumns(), new ArrayList<>(rows.values())).sortedBy(spec.keys());
    }

    /** Feed changes grouped by commit version, in version order, each as "type | key | values" (NULL as null). */
    private static Map<Long, List<String>> byVersion(PipelineSpec spec, List<FeedChange> changes) {
        Map<Long, List<String>> versions = new TreeMap<>();
        for (FeedChange change : changes) {
            List<String> cells = new ArrayList<>();
            cells.add(change.changeType());
            cells.addAll(canonicalValues(spec, change.values()));
            versions.computeIfAbsent(change.commitVersion(), v -> new ArrayList<>()).add(String.join(" | ", cells));
        }
        return versions;
    }

    private static List<String> canonicalValues(PipelineSpec spec, Map<String, Object> values) {
        List<String> cells = new ArrayList<>();
        for (String column : spec.targetColumns()) {
            cells.add(Canonical.of(values.get(column), spec.typeOf(column)));
        }
        return cells;
    }

    /** The feed table: version, change type, keys and value columns, in no particular order. */
    private static Table feedTable(PipelineHarness pipeline) {
        PipelineSpec spec = pipeline.spec();
        List<String> columns = new ArrayList<>(List.of("_commit_version", "_change_type"));
        columns.addAll(spec.targetColumns());
        List<ColumnType> types = new ArrayList<>(List.of(ColumnType.BIGINT, ColumnType.VARCHAR));
        spec.targetColumns().forEach(c -> types.add(spec.typeOf(c)));
        String select = "SELECT " + String.join(", ", columns.stream().map(PipelineHarness::quote).toList())
                + " FROM " + PipelineHarness.quote(spec.tables().changes());
        return pipeline.table(select, columns, types);
    }
}
