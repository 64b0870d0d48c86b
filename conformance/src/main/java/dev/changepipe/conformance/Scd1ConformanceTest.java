package dev.changepipe.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The current table (SCD type 1), rules 2 and 3 of docs/semantics.md, one fixture per rule. Every
 * fixture with several files runs processed at once and file by file, and every run also checks the
 * history invariants (the current table equals the current rows of the history). The histories are
 * given where they make the rule clearer.
 */
public abstract class Scd1ConformanceTest extends ConformanceSuite {

    static Scenario latestChangeWins() {
        return Scenario.named("the latest change wins")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Rome,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Paris,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Paris
                        2  | Bob  | Rome
                        """)
                .history("""
                        id | name | city  | start_time | end_time
                        1  | Ann  | Oslo  | 1          | 2
                        1  | Ann  | Paris | 2          | null
                        2  | Bob  | Rome  | 1          | null
                        """)
                .build();
    }

    static Scenario deleteRemovesKey() {
        return Scenario.named("a delete removes the key")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Rome,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,D,2
                        """)
                .current("""
                        id | name | city
                        2  | Bob  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        2  | Bob  | Rome | 1          | null
                        """)
                .build();
    }

    static Scenario lateOlderChange() {
        return Scenario.named("a late older change does not overwrite a newer one")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Paris,U,5
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,3
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Paris
                        """)
                .history("""
                        id | name | city  | start_time | end_time
                        1  | Ann  | Oslo  | 3          | 5
                        1  | Ann  | Paris | 5          | null
                        """)
                .build();
    }

    /**
     * Key 1 is deleted at 5 and gets a late upsert at 3. Key 2's delete at 5 arrives before any
     * upsert of it — a no-op then — yet it is still the latest change when the upsert at 3 arrives:
     * deletes are kept as tombstones.
     */
    static Scenario lateChangeAfterDelete() {
        return Scenario.named("a late change does not resurrect a key deleted later")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,,D,5
                        2,,,D,5
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Rome,U,3
                        2,Bob,Rome,U,3
                        """)
                .current("""
                        id | name | city
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 3
                        1  | Ann  | Rome | 3          | 5
                        2  | Bob  | Rome | 3          | 5
                        """)
                .build();
    }

    /** Same key, same sequence value, one file: the later line wins, whether upsert or delete. */
    static Scenario tieInOneFile() {
        return Scenario.named("on a sequence tie the later line wins")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,1
                        2,Bob,Oslo,U,1
                        2,,,D,1
                        3,,,D,1
                        3,Cy,Oslo,U,1
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        3  | Cy   | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Rome | 1          | null
                        3  | Cy   | Oslo | 1          | null
                        """)
                .build();
    }

    /**
     * Same key, same sequence value, two files: the later file wins. Key 2's upsert is overtaken by
     * a delete with the same sequence value, so key 2 never had a version.
     */
    static Scenario tieAcrossFiles() {
        return Scenario.named("on a sequence tie the later file wins")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Oslo,U,2
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Rome,U,1
                        2,,,D,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Rome | 1          | null
                        """)
                .build();
    }

    /**
     * Without sequence_by, arrival decides: a later file wins, and within a file the last row of a
     * key wins (key 3's delete follows its upsert in file 1; file 2 inserts it again).
     */
    static Scenario arrivalOrder() {
        return Scenario.named("without sequence_by arrival order decides")
                .spec(People.SPEC_WITHOUT_SEQUENCE)
                .file("people_1.csv", """
                        id,name,city,op
                        1,Ann,Oslo,U
                        1,Ann,Rome,U
                        2,Bob,Oslo,U
                        3,Cy,Oslo,U
                        3,,,D
                        """)
                .file("people_2.csv", """
                        id,name,city,op
                        2,Bob,Lima,U
                        3,Cy,Kyiv,U
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | Lima
                        3  | Cy   | Kyiv
                        """)
                .history("""
                        id | name | city | start_time    | end_time
                        1  | Ann  | Rome | @people_1.csv | null
                        2  | Bob  | Oslo | @people_1.csv | @people_2.csv
                        2  | Bob  | Lima | @people_2.csv | null
                        3  | Cy   | Kyiv | @people_2.csv | null
                        """)
                .build();
    }

    static Scenario nullOverwrites() {
        return Scenario.named("a NULL value overwrites")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | null | 2          | null
                        """)
                .build();
    }

    /** NULL to a value is a change (a plain {@code <>} would miss it); NULL to NULL is none. */
    static Scenario nullSafeChangeDetection() {
        return Scenario.named("change detection is NULL-safe")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,,U,1
                        2,Bob,,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,2
                        2,Bob,,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Bob  | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | null | 1          | 2
                        1  | Ann  | Oslo | 2          | null
                        2  | Bob  | null | 1          | null
                        """)
                .build();
    }

    static final String VISITS_SPEC = """
            name: visits
            columns: {region: varchar, id: bigint, name: varchar, op: varchar, seq: bigint}
            keys: [region, id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op, seq]
            """;

    /** A key of two columns: EU/1 and US/1 are different keys, changed and deleted independently. */
    static Scenario compositeKeys() {
        return Scenario.named("composite keys")
                .spec(VISITS_SPEC)
                .file("visits_1.csv", """
                        region,id,name,op,seq
                        EU,1,Ann,U,1
                        US,1,Bob,U,1
                        EU,2,Cy,U,1
                        """)
                .file("visits_2.csv", """
                        region,id,name,op,seq
                        EU,1,Anna,U,2
                        US,1,,D,2
                        """)
                .current("""
                        region | id | name
                        EU     | 1  | Anna
                        EU     | 2  | Cy
                        """)
                .history("""
                        region | id | name | start_time | end_time
                        EU     | 1  | Ann  | 1          | 2
                        EU     | 1  | Anna | 2          | null
                        EU     | 2  | Cy   | 1          | null
                        US     | 1  | Bob  | 1          | 2
                        """)
                .build();
    }

    static Scenario deleteOfUnknownKey() {
        return Scenario.named("a delete of an unknown key changes nothing")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        9,,,D,1
                        1,Ann,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        8,,,D,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | null
                        """)
                .build();
    }

    /** delete_when must be TRUE: with op NULL it is unknown, with op X it is FALSE; both are upserts. */
    static Scenario onlyTrueDeletes() {
        return Scenario.named("only a TRUE delete_when deletes")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Rome,,2
                        2,Bob,Rome,X,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | Rome
                        """)
                .build();
    }

    /**
     * Values a user may write in a {@code delete_when} literal that look like syntax to some layer: a
     * template parameter, a statement end before a newline, a doubled quote next to a colon, JDBC's and
     * Postgres' placeholders, a template hole, a comment, and a backslash before the closing quote
     * (an escape to Spark's parser). Each is a value: a change whose op is
     * exactly it deletes, one whose op differs by one character does not.
     */
    static Stream<String> hostileLiterals() {
        return Stream.of(":delete", "a;\nb", "x':y", "?", "$1", "{{raw}}", "-- x", "C:\\dir\\");
    }

    static Scenario deleteWhenLiteral(String literal) {
        return deleteWhenLiterals(List.of(literal));
    }

    /**
     * {@code delete_when: "op = 'l1' OR op = 'l2' …"}: for the i-th literal, key 2i+1 is deleted by a change whose op
     * is exactly it, and key 2i+2 is kept by one whose op differs by one character.
     */
    static Scenario deleteWhenLiterals(List<String> literals) {
        List<String> conditions = new ArrayList<>();
        StringBuilder csv = new StringBuilder(People.HEADER + "\n");
        StringBuilder current = new StringBuilder("id | name | city\n");
        StringBuilder history = new StringBuilder("id | name | city | start_time | end_time\n");
        for (int i = 0; i < literals.size(); i++) {
            String literal = literals.get(i);
            conditions.add("op = '" + literal.replace("'", "''") + "'");
            long deleted = 2L * i + 1;
            long kept = 2L * i + 2;
            csv.append(deleted).append(",Ann,Oslo,U,1\n")
                    .append(deleted).append(",,,\"").append(literal.replace("\"", "\"\"")).append("\",2\n")
                    .append(kept).append(",Bob,Rome,\"!").append(literal.replace("\"", "\"\"")).append("\",1\n");
            current.append(kept).append(" | Bob | Rome\n");
            history.append(deleted).append(" | Ann | Oslo | 1 | 2\n").append(kept).append(" | Bob | Rome | 1 | null\n");
        }
        String condition = String.join(" OR ", conditions);
        String yamlCondition = condition.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return Scenario.named("delete_when " + condition.replace("\n", "\\n") + " reads its literals as values")
                .spec(People.SPEC.replace("delete_when: \"op = 'D'\"", "delete_when: \"" + yamlCondition + "\""))
                .file("people_1.csv", csv.toString())
                .current(current.toString())
                .history(history.toString())
                .build();
    }

    // ---------------------------------------------------------------- rule 2.3, ignore_null_updates

    /** Key 1's NULL name keeps Ann; key 2 has no value before its NULL, which stays NULL. */
    static Scenario nullKeepsTheLastValue() {
        return Scenario.named("with ignore_null_updates a NULL keeps the last value")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,Rome,U,2
                        2,Bob,,U,1
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Rome | 2          | null
                        2  | Bob  | null | 1          | null
                        """)
                .build();
    }

    /**
     * Late values fill where their sequence puts them: key 1's late Rome at 2 lies between Oslo at 1
     * and a NULL at 3, so the NULL becomes Rome; key 2's late Rome at 2 lies before Lima at 3, so its
     * NULL at 4 stays Lima.
     */
    static Scenario lateValueBeforeANull() {
        return Scenario.named("with ignore_null_updates a late value between a value and a NULL fills it")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,,U,3
                        2,Bob,Oslo,U,1
                        2,Bob,Lima,U,3
                        2,Bob,,U,4
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Rome,U,2
                        2,Bob,Rome,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | Lima
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Rome | 2          | null
                        2  | Bob  | Oslo | 1          | 2
                        2  | Bob  | Rome | 2          | 3
                        2  | Bob  | Lima | 3          | null
                        """)
                .build();
    }

    /**
     * A delete ends what a NULL keeps: after key 1's delete its NULLs are NULLs; key 2's delete carries
     * values, which fill nothing; key 3's delete arrives late, between its value and its NULL.
     */
    static Scenario deleteResetsTheFill() {
        return Scenario.named("with ignore_null_updates a delete resets the values kept")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,,D,2
                        1,,,U,3
                        2,Bob,Oslo,U,1
                        2,Bob,Rome,D,2
                        2,,Lima,U,3
                        3,Cy,Oslo,U,1
                        3,,,U,3
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        3,,,D,2
                        """)
                .current("""
                        id | name | city
                        1  | null | null
                        2  | null | Lima
                        3  | null | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | null | null | 3          | null
                        2  | Bob  | Oslo | 1          | 2
                        2  | null | Lima | 3          | null
                        3  | Cy   | Oslo | 1          | 2
                        3  | null | null | 3          | null
                        """)
                .build();
    }

    /** {@code ignore_null_updates: [city]}: a NULL city keeps Oslo, a NULL name is a NULL. */
    static Scenario onlyListedColumnsAreFilled() {
        return Scenario.named("ignore_null_updates fills only the columns it lists")
                .spec(People.SPEC + "ignore_null_updates: [city]\n")
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,U,2
                        """)
                .current("""
                        id | name | city
                        1  | null | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | null | Oslo | 2          | null
                        """)
                .build();
    }

    /**
     * Of tied changes only the winner counts (rule 2.2): key 1's Bob, Rome at 2 loses to the later
     * NULLs at 2, which keep Ann, Oslo of 1; key 2's tied loser at 2 is a value between a value and
     * a NULL, and fills nothing either.
     */
    static Scenario tiedLoserFillsNothing() {
        return Scenario.named("with ignore_null_updates a tied loser fills nothing")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Bob,Rome,U,2
                        2,Cy,Oslo,U,1
                        2,Cy,Rome,U,2
                        2,Cy,,U,3
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,U,2
                        2,Cy,,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Cy   | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | null
                        2  | Cy   | Oslo | 1          | null
                        """)
                .build();
    }

    /**
     * Whether a change deletes is decided on the row as it landed: key 1's NULL name makes its change
     * at 2 a delete, though filling would have made it Ann; key 2's NULL city is filled as usual.
     */
    static Scenario deleteDecidedBeforeTheFill() {
        return Scenario.named("with ignore_null_updates delete_when reads the row as it landed")
                .spec(People.SPEC_IGNORING_NULLS.replace("delete_when: \"op = 'D'\"",
                        "delete_when: \"op = 'D' OR name IS NULL\""))
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,Rome,U,2
                        2,Bob,Oslo,U,1
                        2,Bob,,U,2
                        """)
                .current("""
                        id | name | city
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        2  | Bob  | Oslo | 1          | null
                        """)
                .build();
    }

    static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>(List.of(latestChangeWins(), deleteRemovesKey(), lateOlderChange(), lateChangeAfterDelete(),
                tieInOneFile(), tieAcrossFiles(), arrivalOrder(), nullOverwrites(), nullSafeChangeDetection(),
                compositeKeys(), deleteOfUnknownKey(), onlyTrueDeletes(), nullKeepsTheLastValue(), lateValueBeforeANull(),
                deleteResetsTheFill(), onlyListedColumnsAreFilled(), tiedLoserFillsNothing(), deleteDecidedBeforeTheFill()));
        hostileLiterals().map(Scd1ConformanceTest::deleteWhenLiteral).forEach(all::add);
        return all;
    }

    @Test
    void theLatestChangeWins() {
        assertScenario(latestChangeWins());
    }

    @Test
    void aDeleteRemovesTheKey() {
        assertScenario(deleteRemovesKey());
    }

    @Test
    void aLateOlderChangeDoesNotOverwriteANewerOne() {
        assertScenario(lateOlderChange());
    }

    @Test
    void aLateChangeDoesNotResurrectAKeyDeletedLater() {
        assertScenario(lateChangeAfterDelete());
    }

    @Test
    void onASequenceTieTheLaterLineOfAFileWins() {
        assertScenario(tieInOneFile());
    }

    @Test
    void onASequenceTieTheLaterFileWins() {
        assertScenario(tieAcrossFiles());
    }

    @Test
    void withoutSequenceByArrivalOrderDecidesAndTheLastRowOfAKeyInAFileWins() {
        assertScenario(arrivalOrder());
    }

    @Test
    void aNullValueOverwritesTheOldValue() {
        assertScenario(nullOverwrites());
    }

    @Test
    void changeDetectionIsNullSafe() {
        assertScenario(nullSafeChangeDetection());
    }

    @Test
    void compositeKeysAreKeptApart() {
        assertScenario(compositeKeys());
    }

    @Test
    void aDeleteOfAnUnknownKeyChangesNothing() {
        assertScenario(deleteOfUnknownKey());
    }

    @ParameterizedTest(name = "delete_when op = [{0}]")
    @MethodSource("dev.changepipe.conformance.Scd1ConformanceTest#hostileLiterals")
    void aDeleteConditionLiteralIsAValueNeverSyntax(String literal) {
        // Each literal in a pipeline of its own where every variant runs; all of them in one condition, below, everywhere.
        assumeTrue(EVERY_VARIANT, "delete_when [" + literal + "] alone runs only with -Dchangepipe.conformance.every-variant=true");
        assertScenario(deleteWhenLiteral(literal));
    }

    @Test
    void everyHostileLiteralInOneDeleteConditionIsAValue() {
        assertScenario(deleteWhenLiterals(hostileLiterals().toList()));
    }

    @Test
    void onlyATrueDeleteConditionDeletes() {
        assertScenario(onlyTrueDeletes());
    }

    @Test
    void withIgnoreNullUpdatesANullKeepsTheLastValue() {
        assertScenario(nullKeepsTheLastValue());
    }

    @Test
    void withIgnoreNullUpdatesALateValueBetweenAValueAndANullFillsIt() {
        assertScenario(lateValueBeforeANull());
    }

    @Test
    void withIgnoreNullUpdatesADeleteResetsTheValuesKept() {
        assertScenario(deleteResetsTheFill());
    }

    @Test
    void ignoreNullUpdatesFillsOnlyTheColumnsItLists() {
        assertScenario(onlyListedColumnsAreFilled());
    }

    @Test
    void withIgnoreNullUpdatesATiedLoserFillsNothing() {
        assertScenario(tiedLoserFillsNothing());
    }

    @Test
    void withIgnoreNullUpdatesTheDeleteConditionReadsTheRowAsItLanded() {
        assertScenario(deleteDecidedBeforeTheFill());
    }
}
