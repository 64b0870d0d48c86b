package dev.changepipe.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The change-data-capture example of the Databricks AUTO CDC documentation ("AUTO CDC APIs:
 * Simplify change data capture"), whose SCD1 and SCD2 results are published there. The expected
 * tables below are those published results, so they are hard-coded rather than computed.
 *
 * <p>The example is small but has everything: a delete, late updates (sequence 5 arriving after 6),
 * and a key deleted before its late update arrives. Rule 5.4 says the result depends only on the
 * set of changes, so it is checked for one file and for splits into 2 to 4 files in several orders,
 * processed at once and file by file.
 */
public abstract class AutoCdcExampleConformanceTest extends ConformanceSuite {

    static final String SPEC = """
            name: users
            columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint}
            keys: [userId]
            sequence_by: sequenceNum
            delete_when: "operation = 'DELETE'"
            except_columns: [operation, sequenceNum]
            """;

    static final String HEADER = "userId,name,city,operation,sequenceNum";

    /** The documented input, in the documented order. */
    static final List<String> ROWS = List.of(
            "124,Raul,Oaxaca,INSERT,1",
            "123,Isabel,Monterrey,INSERT,1",
            "125,Mercedes,Tijuana,INSERT,2",
            "126,Lily,Cancun,INSERT,2",
            "123,,,DELETE,6",
            "125,Mercedes,Guadalajara,UPDATE,6",
            "125,Mercedes,Mexicali,UPDATE,5",
            "123,Isabel,Chihuahua,UPDATE,5");

    /** The documented SCD type 1 result. */
    static final String CURRENT = """
            userId | name     | city
            124    | Raul     | Oaxaca
            125    | Mercedes | Guadalajara
            126    | Lily     | Cancun
            """;

    /** The documented SCD type 2 result (__START_AT and __END_AT there, start_time and end_time here). */
    static final String HISTORY = """
            userId | name     | city        | start_time | end_time
            123    | Isabel   | Monterrey   | 1          | 5
            123    | Isabel   | Chihuahua   | 5          | 6
            124    | Raul     | Oaxaca      | 1          | null
            125    | Mercedes | Tijuana     | 2          | 5
            125    | Mercedes | Mexicali    | 5          | 6
            125    | Mercedes | Guadalajara | 6          | null
            126    | Lily     | Cancun      | 2          | null
            """;

    /** The example as one file, with its documented tables; public for the tests that run it across engines. */
    public static Scenario documented() {
        return Scenario.named("AUTO CDC example")
                .spec(SPEC)
                .file("users_1.csv", csv(ROWS))
                .current(CURRENT)
                .history(HISTORY)
                .build();
    }

    /** The example's rows split into three files by position: a = rows 1-3, b = rows 4-6, c = rows 7-8 (the late ones). */
    static List<Scenario.ChangeFile> threeFiles(String order) {
        List<Scenario.ChangeFile> files = new ArrayList<>();
        for (char part : order.toCharArray()) {
            List<String> rows = switch (part) {
                case 'a' -> ROWS.subList(0, 3);
                case 'b' -> ROWS.subList(3, 6);
                case 'c' -> ROWS.subList(6, 8);
                default -> throw new IllegalArgumentException("no part " + part);
            };
            files.add(new Scenario.ChangeFile("users_" + part + ".csv", csv(rows)));
        }
        return files;
    }

    /** The example's rows dealt into 2 to 4 files at random, shuffled within each file, the files landing in random order. */
    static List<Scenario.ChangeFile> randomSplit(long seed) {
        Random random = new Random(seed);
        List<List<String>> parts = RandomChanges.split(ROWS, random, 2, 4);
        List<Scenario.ChangeFile> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            files.add(new Scenario.ChangeFile("users_" + (i + 1) + ".csv", csv(parts.get(i))));
        }
        Collections.shuffle(files, random);
        return files;
    }

    /** With only city tracked the example gives the same tables: no name changes without a city change in it. */
    static Scenario trackingCity() {
        return Scenario.named("AUTO CDC example tracking city only")
                .spec(SPEC + "track_history_columns: [city]\n")
                .file("users_1.csv", csv(ROWS))
                .current(CURRENT)
                .history(HISTORY)
                .build();
    }

    /** The example plus a name change of 124 at sequence 3, not tracked: 124's only version gets the new name in place. */
    static Scenario untrackedNameChange() {
        List<String> rows = new ArrayList<>(ROWS);
        rows.add("124,Raul Ortega,Oaxaca,UPDATE,3");
        return Scenario.named("AUTO CDC example with an untracked name change")
                .spec(SPEC + "track_history_columns: [city]\n")
                .file("users_1.csv", csv(rows))
                .current("""
                        userId | name        | city
                        124    | Raul Ortega | Oaxaca
                        125    | Mercedes    | Guadalajara
                        126    | Lily        | Cancun
                        """)
                .history("""
                        userId | name        | city        | start_time | end_time
                        123    | Isabel      | Monterrey   | 1          | 5
                        123    | Isabel      | Chihuahua   | 5          | 6
                        124    | Raul Ortega | Oaxaca      | 1          | null
                        125    | Mercedes    | Tijuana     | 2          | 5
                        125    | Mercedes    | Mexicali    | 5          | 6
                        125    | Mercedes    | Guadalajara | 6          | null
                        126    | Lily        | Cancun      | 2          | null
                        """)
                .build();
    }

    /** The same input with every column tracked (the default): the name change opens a version of its own. */
    static Scenario trackedNameChange() {
        List<String> rows = new ArrayList<>(ROWS);
        rows.add("124,Raul Ortega,Oaxaca,UPDATE,3");
        return Scenario.named("AUTO CDC example with a tracked name change")
                .spec(SPEC)
                .file("users_1.csv", csv(rows))
                .current("""
                        userId | name        | city
                        124    | Raul Ortega | Oaxaca
                        125    | Mercedes    | Guadalajara
                        126    | Lily        | Cancun
                        """)
                .history("""
                        userId | name        | city        | start_time | end_time
                        123    | Isabel      | Monterrey   | 1          | 5
                        123    | Isabel      | Chihuahua   | 5          | 6
                        124    | Raul        | Oaxaca      | 1          | 3
                        124    | Raul Ortega | Oaxaca      | 3          | null
                        125    | Mercedes    | Tijuana     | 2          | 5
                        125    | Mercedes    | Mexicali    | 5          | 6
                        125    | Mercedes    | Guadalajara | 6          | null
                        126    | Lily        | Cancun      | 2          | null
                        """)
                .build();
    }

    /** Every hard-coded scenario of this suite, for the reference model's own tests. */
    static List<Scenario> scenarios() {
        return List.of(documented(), trackingCity(), untrackedNameChange(), trackedNameChange());
    }

    static String csv(List<String> rows) {
        return HEADER + "\n" + String.join("\n", rows) + "\n";
    }

    static Stream<Arguments> threeFileOrders() {
        List<String> orders = List.of("abc", "acb", "bac", "bca", "cab", "cba");
        return orders.stream().flatMap(order -> Stream.of(Processing.values()).map(p -> Arguments.of(order, p)));
    }

    @Test
    void theDocumentedExampleInOneFileGivesTheDocumentedTables() {
        assertScenario(documented());
    }

    @ParameterizedTest(name = "files {0} processed {1}")
    @MethodSource("dev.changepipe.conformance.AutoCdcExampleConformanceTest#threeFileOrders")
    void everyOrderOfAThreeFileSplitGivesTheDocumentedTables(String order, Processing processing) {
        // Without every variant, a third of the twelve: each processing, in- and out-of-order arrivals.
        int variant = threeFileOrders().map(a -> a.get()[0] + " " + a.get()[1]).toList().indexOf(order + " " + processing);
        assumeTrue(EVERY_VARIANT || variant % 3 == 0, "order " + order + " " + processing
                + " runs only with -Dchangepipe.conformance.every-variant=true");
        assertScenario(documented().withFiles(threeFiles(order)), processing);
    }

    /**
     * How many of the 8 random splits run; an engine too slow for all of them may lower it (the others
     * are skipped). {@link OrderIndependencePropertyTest} splits random change sets the same way.
     */
    protected int randomSplits() {
        return 8;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomSplitsInRandomOrderGiveTheDocumentedTables(long seed) {
        assumeTrue(seed <= randomSplits(), "seed beyond randomSplits()");
        Processing processing = Processing.values()[new Random(seed).nextInt(Processing.values().length)];
        // The seed is in the scenario's name, which every failure message prints with the files.
        assertScenario(documented().withFiles(randomSplit(seed)).renamed("AUTO CDC example, random split of seed " + seed),
                processing);
    }

    @Test
    void trackingOnlyCityGivesTheSameTables() {
        assertScenario(trackingCity());
    }

    @Test
    void anUntrackedNameChangeUpdatesTheOpenVersionInPlaceWhileATrackedOneOpensAVersion() {
        assertScenario(untrackedNameChange());
        assertScenario(trackedNameChange());
    }
}
