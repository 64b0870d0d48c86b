package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.ColumnType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The history table (SCD type 2), rule 5 of docs/semantics.md: each clause of rule 5.1 and each of
 * rules 5.2 to 5.5 with a fixture of its own. Every fixture with several files runs processed at
 * once and file by file; every run checks that is_current is set exactly when end is NULL, that a
 * key's versions do not overlap, and that the current table equals the current rows of history.
 */
public abstract class Scd2ConformanceTest extends ConformanceSuite {

    /** Every value column is tracked by default: a new city or a new name opens a version. */
    static Scenario trackedChange() {
        return Scenario.named("a tracked change closes the open version and opens a new one")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,3
                        2,Bob,Oslo,U,1
                        2,Rob,Oslo,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Rob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 3
                        1  | Ann  | Rome | 3          | null
                        2  | Bob  | Oslo | 1          | 2
                        2  | Rob  | Oslo | 2          | null
                        """)
                .build();
    }

    /** Only city is tracked: a new name is written into the open version, whose start stays. */
    static Scenario untrackedChange() {
        return Scenario.named("an untracked change updates the open version in place")
                .spec(People.SPEC_TRACKING_CITY)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Anna,Rome,U,5
                        2,Bob,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Anna,Oslo,U,3
                        2,Rob,Oslo,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Anna | Rome
                        2  | Rob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Anna | Oslo | 1          | 5
                        1  | Anna | Rome | 5          | null
                        2  | Rob  | Oslo | 1          | null
                        """)
                .build();
    }

    static Scenario deleteCloses() {
        return Scenario.named("a delete closes the open version")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Rome,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,D,4
                        """)
                .current("""
                        id | name | city
                        2  | Bob  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 4
                        2  | Bob  | Rome | 1          | null
                        """)
                .build();
    }

    /** The deletes at 1 (before any version) and at 4 (after the version closed at 3) change nothing. */
    static Scenario deleteWithoutOpenVersion() {
        return Scenario.named("a delete with no open version changes nothing")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,,,D,1
                        1,Ann,Oslo,U,2
                        1,,,D,3
                        1,,,D,4
                        """)
                .current("""
                        id | name | city
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 2          | 3
                        """)
                .build();
    }

    /**
     * The re-insert has the old values, yet opens a new version: there is no open version to compare
     * with. The delete carries the same values (as CDC tools' before-images do), which must not matter.
     */
    static Scenario reinsertAfterDelete() {
        return Scenario.named("a re-insert after a delete opens a new version")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Oslo,D,2
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,3
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Oslo | 3          | null
                        """)
                .build();
    }

    static Scenario duplicatesInOneFile() {
        return Scenario.named("exact duplicate rows in one file change nothing")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,2
                        1,Ann,Rome,U,2
                        1,,,D,3
                        1,,,D,3
                        2,Bob,Oslo,U,1
                        2,Bob,Oslo,U,1
                        """)
                .current("""
                        id | name | city
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Rome | 2          | 3
                        2  | Bob  | Oslo | 1          | null
                        """)
                .build();
    }

    /** A whole file landing again under another name, then one old row re-sent after newer ones. */
    static Scenario duplicatesInLaterFiles() {
        String content = """
                id,name,city,op,seq
                1,Ann,Oslo,U,1
                1,Ann,Rome,U,2
                2,Bob,Oslo,U,1
                """;
        return Scenario.named("exact duplicate rows re-sent in later files change nothing")
                .spec(People.SPEC)
                .file("people_1.csv", content)
                .file("people_2.csv", content)
                .file("people_3.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Rome | 2          | null
                        2  | Bob  | Oslo | 1          | null
                        """)
                .build();
    }

    /** Without sequence_by a re-sent row has a later sequence value (its file's ingestion time) and equal values: nothing changes. */
    static Scenario duplicatesInLaterFilesWithoutSequence() {
        return Scenario.named("exact duplicate rows re-sent in a later file change nothing, without sequence_by")
                .spec(People.SPEC_WITHOUT_SEQUENCE)
                .file("people_1.csv", """
                        id,name,city,op
                        1,Ann,Oslo,U
                        """)
                .file("people_2.csv", """
                        id,name,city,op
                        1,Ann,Oslo,U
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        """)
                .history("""
                        id | name | city | start_time    | end_time
                        1  | Ann  | Oslo | @people_1.csv | null
                        """)
                .build();
    }

    static Scenario nullVersusValue() {
        return Scenario.named("NULL versus a value opens a version")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,,U,1
                        1,Ann,Oslo,U,2
                        1,Ann,,U,3
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | null | 1          | 2
                        1  | Ann  | Oslo | 2          | 3
                        1  | Ann  | null | 3          | null
                        """)
                .build();
    }

    static Scenario nullVersusNull() {
        return Scenario.named("NULL versus NULL does not open a version")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,,U,1
                        1,Ann,,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | null | 1          | null
                        """)
                .build();
    }

    static Scenario lateChangeInTheMiddle() {
        return Scenario.named("a late change in the middle splits an interval")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,5
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Lima,U,3
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 3
                        1  | Ann  | Lima | 3          | 5
                        1  | Ann  | Rome | 5          | null
                        """)
                .build();
    }

    /** Key 1 gets an earlier version; key 2's late change has equal values, so its one version now starts earlier. */
    static Scenario lateChangeBeforeFirstVersion() {
        return Scenario.named("a late change before the first version")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,5
                        2,Bob,Oslo,U,5
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Lima,U,2
                        2,Bob,Oslo,U,2
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Lima | 2          | 5
                        1  | Ann  | Oslo | 5          | null
                        2  | Bob  | Oslo | 2          | null
                        """)
                .build();
    }

    /**
     * Key 1: a delete lands between two versions and closes the first early. Key 2 had one version
     * (its change at 5 had equal values); the late delete at 3 closes it, and the change at 5 opens
     * a new one.
     */
    static Scenario lateDeleteInTheMiddle() {
        return Scenario.named("a late delete in the middle closes and re-opens")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,5
                        2,Bob,Oslo,U,1
                        2,Bob,Oslo,U,5
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,D,3
                        2,,,D,3
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 3
                        1  | Ann  | Rome | 5          | null
                        2  | Bob  | Oslo | 1          | 3
                        2  | Bob  | Oslo | 5          | null
                        """)
                .build();
    }

    /** Closed and current versions, one key deleted: is_current is asserted as a column of its own. */
    static Scenario isCurrentFlag() {
        return Scenario.named("is_current exactly when end_time is NULL")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,2
                        2,Bob,Oslo,U,1
                        2,,,D,2
                        3,Cy,Oslo,U,1
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Lima,U,3
                        """)
                .history("""
                        id | name | city | start_time | end_time | is_current
                        1  | Ann  | Oslo | 1          | 2        | false
                        1  | Ann  | Rome | 2          | 3        | false
                        1  | Ann  | Lima | 3          | null     | true
                        2  | Bob  | Oslo | 1          | 2        | false
                        3  | Cy   | Oslo | 1          | null     | true
                        """)
                .build();
    }

    /** Deletes, late changes, re-inserts and ties over four files, for rule 5.5 after every run. */
    static Scenario mixed() {
        return Scenario.named("a mix of changes")
                .spec(People.SPEC)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,2
                        2,Bob,Rome,U,2
                        3,Cy,,U,2
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,,D,6
                        2,Bob,Lima,U,4
                        3,Cy,,U,3
                        """)
                .file("people_3.csv", """
                        id,name,city,op,seq
                        1,Ann,Kyiv,U,4
                        2,Bob,Oslo,U,1
                        4,Dan,Oslo,U,1
                        """)
                .file("people_4.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,7
                        2,Bob,Lima,U,4
                        4,,,D,1
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Bob  | Lima
                        3  | Cy   | null
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 2          | 4
                        1  | Ann  | Kyiv | 4          | 6
                        1  | Ann  | Oslo | 7          | null
                        2  | Bob  | Oslo | 1          | 2
                        2  | Bob  | Rome | 2          | 4
                        2  | Bob  | Lima | 4          | null
                        3  | Cy   | null | 2          | null
                        """)
                .build();
    }

    /**
     * Without sequence_by each file's ingestion time is the sequence value of its rows: versions
     * follow arrival, and start and end are the files' {@code _ingested_at}. Key 3's two rows in
     * file 1 tie, so the later line is its only version.
     */
    static Scenario ingestionTimes() {
        return Scenario.named("without sequence_by start and end are ingestion times")
                .spec(People.SPEC_WITHOUT_SEQUENCE)
                .file("people_1.csv", """
                        id,name,city,op
                        1,Ann,Oslo,U
                        2,Bob,Rome,U
                        3,Cy,Oslo,U
                        3,Cy,Rome,U
                        """)
                .file("people_2.csv", """
                        id,name,city,op
                        1,Ann,Lima,U
                        """)
                .file("people_3.csv", """
                        id,name,city,op
                        2,,,D
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Lima
                        3  | Cy   | Rome
                        """)
                .history("""
                        id | name | city | start_time    | end_time
                        1  | Ann  | Oslo | @people_1.csv | @people_2.csv
                        1  | Ann  | Lima | @people_2.csv | null
                        2  | Bob  | Rome | @people_1.csv | @people_3.csv
                        3  | Cy   | Rome | @people_1.csv | null
                        """)
                .build();
    }

    // ---------------------------------------------------------------- rule 2.3, ignore_null_updates

    /**
     * Versions are built from the filled values: the NULLs at 20 and 30 equal the open version once
     * filled and open none; the late Lima at 15 splits Oslo's interval and fills both.
     */
    static Scenario filledVersions() {
        return Scenario.named("with ignore_null_updates a change of NULLs only opens no version")
                .spec(People.SPEC_IGNORING_NULLS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,10
                        1,,,U,20
                        1,Ann,,U,30
                        1,,Rome,U,40
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,,Lima,U,15
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 10         | 15
                        1  | Ann  | Lima | 15         | 40
                        1  | Ann  | Rome | 40         | null
                        """)
                .build();
    }

    /** Only city is tracked: a NULL city keeps Rome and so opens nothing; the new name goes in place. */
    static Scenario filledUntrackedColumns() {
        return Scenario.named("with ignore_null_updates tracked and untracked columns are compared filled")
                .spec(People.SPEC_TRACKING_CITY + "ignore_null_updates: true\n")
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,Rome,U,2
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Bea,,U,3
                        """)
                .current("""
                        id | name | city
                        1  | Bea  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Bea  | Rome | 2          | null
                        """)
                .build();
    }

    /**
     * Without sequence_by the rows of one file tie and its last row of a key wins alone: Ann, Oslo fill
     * nothing, so the name is NULL until Bea arrives in the next file, whose NULL city keeps Rome.
     */
    static Scenario filledInArrivalOrder() {
        return Scenario.named("with ignore_null_updates and no sequence_by arrival orders the fill")
                .spec(People.SPEC_WITHOUT_SEQUENCE + "ignore_null_updates: true\n")
                .file("people_1.csv", """
                        id,name,city,op
                        1,Ann,Oslo,U
                        1,,Rome,U
                        """)
                .file("people_2.csv", """
                        id,name,city,op
                        1,Bea,,U
                        """)
                .current("""
                        id | name | city
                        1  | Bea  | Rome
                        """)
                .history("""
                        id | name | city | start_time    | end_time
                        1  | null | Rome | @people_1.csv | @people_2.csv
                        1  | Bea  | Rome | @people_2.csv | null
                        """)
                .build();
    }

    /** The spec of {@link #openEnd()}: an open version ends at 1,000,000 instead of NULL (rule 5.6). */
    static final String SPEC_WITH_OPEN_END = People.SPEC + "history_columns: {open_end: 1000000}\n";

    /**
     * With {@code history_columns.open_end}, an open version ends there and is the current one; a closed version ends at
     * the next change, a delete included; a change at or after the open end is a reject and changes nothing.
     */
    static Scenario openEnd() {
        return Scenario.named("with open_end an open version ends there and a change at or after it is a reject")
                .spec(SPEC_WITH_OPEN_END)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,Ann,Rome,U,3
                        2,Bob,Oslo,U,1
                        2,Bob,Oslo,D,2
                        3,Cy,Lima,U,1000000
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        1,Ann,Bern,U,2
                        3,Cy,Lima,U,5
                        1,Ann,Pisa,U,1000001
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        3  | Cy   | Lima
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 2
                        1  | Ann  | Bern | 2          | 3
                        1  | Ann  | Rome | 3          | 1000000
                        2  | Bob  | Oslo | 1          | 2
                        3  | Cy   | Lima | 5          | 1000000
                        """)
                .build();
    }

    /** The spec of {@link #deleteRows()}: a delete also writes a version of its own (rule 5.7). */
    static final String SPEC_WITH_DELETE_ROWS = People.SPEC_TRACKING_CITY + "history_deletes: row\n";

    /**
     * With {@code history_deletes: row}: key 1's delete writes a row from the delete to the next upsert, and its second
     * delete adds nothing; key 2's delete row is the last and stays open, never current; key 3's delete with no open
     * version writes nothing; key 4's late delete splits its history with a delete row; key 5's late upsert after its
     * delete closes the delete row; key 6's untracked change in place is what its delete row carries.
     */
    static Scenario deleteRows() {
        return Scenario.named("with history_deletes: row a delete writes a flagged version until the next upsert")
                .spec(SPEC_WITH_DELETE_ROWS)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,,D,3
                        1,,,D,4
                        1,Ann,Rome,U,6
                        2,Bob,Oslo,U,1
                        2,Bob,Lima,U,2
                        2,,,D,5
                        3,,,D,1
                        3,Cy,Oslo,U,2
                        4,Dan,Oslo,U,1
                        4,Dan,Rome,U,5
                        5,Eve,Oslo,U,1
                        5,,,D,2
                        6,Fay,Oslo,U,1
                        6,Fiona,Oslo,U,2
                        6,,,D,3
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        4,,,D,3
                        5,Eve,Bern,U,4
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Rome
                        3  | Cy   | Oslo
                        4  | Dan  | Rome
                        5  | Eve  | Bern
                        """)
                .history("""
                        id | name  | city | start_time | end_time | is_current | is_deleted
                        1  | Ann   | Oslo | 1          | 3        | false      | false
                        1  | Ann   | Oslo | 3          | 6        | false      | true
                        1  | Ann   | Rome | 6          | null     | true       | false
                        2  | Bob   | Oslo | 1          | 2        | false      | false
                        2  | Bob   | Lima | 2          | 5        | false      | false
                        2  | Bob   | Lima | 5          | null     | false      | true
                        3  | Cy    | Oslo | 2          | null     | true       | false
                        4  | Dan   | Oslo | 1          | 3        | false      | false
                        4  | Dan   | Oslo | 3          | 5        | false      | true
                        4  | Dan   | Rome | 5          | null     | true       | false
                        5  | Eve   | Oslo | 1          | 2        | false      | false
                        5  | Eve   | Oslo | 2          | 4        | false      | true
                        5  | Eve   | Bern | 4          | null     | true       | false
                        6  | Fiona | Oslo | 1          | 3        | false      | false
                        6  | Fiona | Oslo | 3          | null     | false      | true
                        """)
                .build();
    }

    /** Rules 5.6 and 5.7 together: an open delete row ends at the open end too, and is still not current. */
    static Scenario deleteRowsWithOpenEnd() {
        return Scenario.named("with history_deletes: row and open_end an open delete row ends at the open end")
                .spec(SPEC_WITH_DELETE_ROWS + "history_columns: {open_end: 1000000}\n")
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        1,,,D,3
                        2,Bob,Oslo,U,1
                        """)
                .current("""
                        id | name | city
                        2  | Bob  | Oslo
                        """)
                .history("""
                        id | name | city | start_time | end_time | is_current | is_deleted
                        1  | Ann  | Oslo | 1          | 3        | false      | false
                        1  | Ann  | Oslo | 3          | 1000000  | false      | true
                        2  | Bob  | Oslo | 1          | 1000000  | true       | false
                        """)
                .build();
    }

    /** The spec of {@link #truncates()}: a change with op T is a truncate (rule 2.4). */
    static final String SPEC_WITH_TRUNCATES = People.SPEC + "apply_as_truncates: \"op = 'T'\"\n";

    /**
     * Rule 2.4. The truncate at 5 needs no key and deletes every key at 5: keys 1 and 2 (which come back at 10 and 7),
     * and key 4, whose row at 3 arrives later. The late truncate at 8 touches every key again: 2 and 3 are deleted at
     * 8, key 5's change at 8 arrived before it and loses the tie, key 7's arrived after it and wins. A keyless row that
     * is no truncate is a reject.
     */
    static Scenario truncates() {
        return Scenario.named("a truncate deletes every key at its sequence value, late keys and late truncates too")
                .spec(SPEC_WITH_TRUNCATES)
                .file("people_1.csv", """
                        id,name,city,op,seq
                        1,Ann,Oslo,U,1
                        2,Bob,Rome,U,2
                        ,,,T,5
                        3,Cy,Lima,U,6
                        2,Bob,Pisa,U,7
                        1,Ann,Bern,U,10
                        ,Zed,Oslo,U,4
                        """)
                .file("people_2.csv", """
                        id,name,city,op,seq
                        4,Dan,Oslo,U,3
                        5,Eve,Bern,U,8
                        ,,,T,8
                        7,Gus,Rome,U,8
                        6,Fay,Oslo,U,9
                        """)
                .current("""
                        id | name | city
                        1  | Ann  | Bern
                        6  | Fay  | Oslo
                        7  | Gus  | Rome
                        """)
                .history("""
                        id | name | city | start_time | end_time
                        1  | Ann  | Oslo | 1          | 5
                        1  | Ann  | Bern | 10         | null
                        2  | Bob  | Rome | 2          | 5
                        2  | Bob  | Pisa | 7          | 8
                        3  | Cy   | Lima | 6          | 8
                        4  | Dan  | Oslo | 3          | 5
                        6  | Fay  | Oslo | 9          | null
                        7  | Gus  | Rome | 8          | null
                        """)
                .build();
    }

    static List<Scenario> scenarios() {
        return List.of(trackedChange(), untrackedChange(), deleteCloses(), deleteWithoutOpenVersion(),
                reinsertAfterDelete(), duplicatesInOneFile(), duplicatesInLaterFiles(),
                duplicatesInLaterFilesWithoutSequence(), nullVersusValue(), nullVersusNull(), lateChangeInTheMiddle(),
                lateChangeBeforeFirstVersion(), lateDeleteInTheMiddle(), isCurrentFlag(), mixed(), ingestionTimes(),
                filledVersions(), filledUntrackedColumns(), filledInArrivalOrder(), openEnd(), deleteRows(),
                deleteRowsWithOpenEnd(), truncates());
    }

    @Test
    void aTrackedChangeClosesTheOpenVersionAndOpensANewOne() {
        assertScenario(trackedChange());
    }

    @Test
    void anUntrackedChangeUpdatesTheOpenVersionInPlace() {
        assertScenario(untrackedChange());
    }

    @Test
    void aDeleteClosesTheOpenVersion() {
        assertScenario(deleteCloses());
    }

    @Test
    void aDeleteWithNoOpenVersionChangesNothing() {
        assertScenario(deleteWithoutOpenVersion());
    }

    @Test
    void aReinsertAfterADeleteOpensANewVersion() {
        assertScenario(reinsertAfterDelete());
    }

    @Test
    void exactDuplicateRowsInOneFileChangeNothing() {
        assertScenario(duplicatesInOneFile());
    }

    @Test
    void exactDuplicateRowsReSentInALaterFileUnderAnotherNameChangeNothing() {
        assertScenario(duplicatesInLaterFiles());
        assertScenario(duplicatesInLaterFilesWithoutSequence());
    }

    @Test
    void nullVersusAValueOpensAVersion() {
        assertScenario(nullVersusValue());
    }

    @Test
    void nullVersusNullDoesNotOpenAVersion() {
        assertScenario(nullVersusNull());
    }

    @Test
    void aLateChangeInTheMiddleSplitsAnInterval() {
        assertScenario(lateChangeInTheMiddle());
    }

    @Test
    void aLateChangeBeforeTheFirstVersionIsPlacedFirst() {
        assertScenario(lateChangeBeforeFirstVersion());
    }

    @Test
    void aLateDeleteInTheMiddleClosesAndReopensProperly() {
        assertScenario(lateDeleteInTheMiddle());
    }

    @Test
    void isCurrentIsTrueExactlyWhenEndIsNull() {
        assertScenario(isCurrentFlag());
        // Also in the engine's own SQL, not only through the harness's reading of the rows.
        try (PipelineHarness pipeline = openPipeline(isCurrentFlag().spec())) {
            pipeline.process(isCurrentFlag().files(), Processing.AT_ONCE);
            String history = PipelineHarness.quote(pipeline.spec().tables().history());
            String isCurrent = PipelineHarness.quote(pipeline.spec().historyColumns().current());
            String end = PipelineHarness.quote(pipeline.spec().historyColumns().end());
            assertThat(Canonical.of(pipeline.query("SELECT count(*) FROM " + history + " WHERE " + isCurrent
                    + " IS DISTINCT FROM (" + end + " IS NULL)").rows().get(0).get(0)))
                    .isEqualTo("0");
            assertThat(Canonical.of(pipeline.query("SELECT count(*) FROM " + history + " WHERE " + isCurrent)
                    .rows().get(0).get(0))).isEqualTo("2");
        }
    }

    @Test
    void theCurrentTableEqualsTheCurrentRowsOfHistoryAfterEveryRun() {
        Scenario scenario = mixed();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            for (Scenario.ChangeFile file : scenario.files()) {
                pipeline.deliver(file);
                pipeline.runUntilIdle();
                // assertHistoryInvariants compares the current table with the current rows of history.
                assertHistoryInvariants(pipeline, scenario + "after " + file.name());
            }
            assertExpectedTables(pipeline, scenario, scenario + "processed " + Processing.FILE_BY_FILE);
        }
        // The file-by-file way ran above, in the same pipeline as the checks after each run.
        if (EVERY_VARIANT) {
            assertScenario(scenario, Processing.AT_ONCE);
        }
    }

    @Test
    void withoutSequenceByStartAndEndAreTheFilesIngestionTimesAndVersionsFollowArrival() {
        Scenario scenario = ingestionTimes();
        if (EVERY_VARIANT) {
            assertScenario(scenario, Processing.AT_ONCE);
        }
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            assertExpectedTables(pipeline, scenario, scenario + "processed " + Processing.FILE_BY_FILE);
            // The expected history only means something if the files' ingestion times follow their arrival.
            String first = pipeline.ingestionTimeOf("people_1.csv");
            String second = pipeline.ingestionTimeOf("people_2.csv");
            String third = pipeline.ingestionTimeOf("people_3.csv");
            assertThat(Canonical.compare(first, second)).as("%s before %s", first, second).isLessThan(0);
            assertThat(Canonical.compare(second, third)).as("%s before %s", second, third).isLessThan(0);
        }
    }

    @Test
    void withAnOpenEndOpenVersionsEndThereAndAChangeAtOrAfterItIsRejected() {
        Scenario scenario = openEnd();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            assertExpectedTables(pipeline, scenario, scenario + "processed " + Processing.FILE_BY_FILE);
            assertThat(rejects(pipeline)).isEqualTo(Table.parse("""
                            _file        | _line | column_name | reason
                            people_1.csv | 6     | seq         | sequence_by value is not before history_columns.open_end (1000000)
                            people_2.csv | 4     | seq         | sequence_by value is not before history_columns.open_end (1000000)
                            """));
        }
        // The file-by-file way ran above, with the rejects checked.
        if (EVERY_VARIANT) {
            assertScenario(scenario, Processing.AT_ONCE);
        }
    }

    /** Rule 5.6 across spec changes: at start every open version takes the spec's open end, set, changed or dropped. */
    @Test
    void aPipelineStartedWithAnotherOpenEndGivesItToEveryOpenVersion() {
        Path dir = workDir.resolve("open-end-changes");
        String file = """
                id,name,city,op,seq
                1,Ann,Oslo,U,1
                1,Ann,Rome,U,3
                2,Bob,Oslo,U,2
                """;
        String closed = "1  | Ann  | Oslo | 1          | 3\n";
        try (PipelineHarness pipeline = PipelineHarness.open(dir, People.SPEC, engineType(), engineOptions())) {
            pipeline.deliver("people_1.csv", file);
            pipeline.runUntilIdle();
        }
        for (String[] step : new String[][] {{SPEC_WITH_OPEN_END, "1000000"}, {People.SPEC, "null"}}) {
            try (PipelineHarness pipeline = PipelineHarness.open(dir, step[0], engineType(), engineOptions())) {
                String context = "history restarted with open end " + step[1];
                assertThat(pipeline.history().project(List.of("id", "name", "city", "start_time", "end_time")))
                        .as(context)
                        .isEqualTo(Table.parse("id | name | city | start_time | end_time\n" + closed
                                + "1  | Ann  | Rome | 3          | " + step[1] + "\n"
                                + "2  | Bob  | Oslo | 2          | " + step[1] + "\n"));
                assertHistoryInvariants(pipeline, context);
            }
        }
    }

    @Test
    void aTruncateDeletesEveryKeyAtItsSequenceValueLateKeysAndLateTruncatesToo() {
        Scenario scenario = truncates();
        try (PipelineHarness pipeline = openPipeline(scenario.spec())) {
            pipeline.process(scenario.files(), Processing.FILE_BY_FILE);
            assertExpectedTables(pipeline, scenario, scenario + "processed " + Processing.FILE_BY_FILE);
            assertThat(rejects(pipeline)).isEqualTo(Table.parse("""
                            _file        | _line | column_name | reason
                            people_1.csv | 8     | id          | key column is NULL
                            """));
        }
        if (EVERY_VARIANT) {
            assertScenario(scenario, Processing.AT_ONCE);
        }
    }

    @Test
    void withDeleteRowsADeleteWritesAFlaggedVersionThatTheNextUpsertCloses() {
        assertScenario(deleteRows());
    }

    @Test
    void withDeleteRowsAndAnOpenEndAnOpenDeleteRowEndsThereAndIsNotCurrent() {
        assertScenario(deleteRowsWithOpenEnd());
    }

    /** Rule 5.6 with rule 5.7: a restart under another open end also moves the end of each open delete row. */
    @Test
    void aPipelineWithDeleteRowsStartedWithAnOpenEndGivesItToOpenDeleteRowsToo() {
        Path dir = workDir.resolve("open-end-delete-rows");
        try (PipelineHarness pipeline = PipelineHarness.open(dir, SPEC_WITH_DELETE_ROWS, engineType(), engineOptions())) {
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,1
                    1,,,D,3
                    1,,,D,4
                    2,Bob,Oslo,U,2
                    3,Cy,Oslo,U,1
                    3,,,D,2
                    3,Cy,Rome,U,5
                    """);
            pipeline.runUntilIdle();
        }
        try (PipelineHarness pipeline = PipelineHarness.open(dir, deleteRowsWithOpenEnd().spec(), engineType(),
                engineOptions())) {
            String context = "history with delete rows restarted with open end 1000000";
            assertThat(pipeline.history().project(List.of("id", "start_time", "end_time", "is_current", "is_deleted")))
                    .as(context)
                    .isEqualTo(Table.parse("""
                            id | start_time | end_time | is_current | is_deleted
                            1  | 1          | 3        | false      | false
                            1  | 3          | 1000000  | false      | true
                            2  | 2          | 1000000  | true       | false
                            3  | 1          | 2        | false      | false
                            3  | 2          | 5        | false      | true
                            3  | 5          | 1000000  | true       | false
                            """));
            assertHistoryInvariants(pipeline, context);
        }
    }

    @Test
    void withIgnoreNullUpdatesAChangeOfNullsOnlyOpensNoVersionAndLateValuesFillWhereTheyFall() {
        assertScenario(filledVersions());
    }

    @Test
    void withIgnoreNullUpdatesTrackedAndUntrackedColumnsAreComparedFilled() {
        assertScenario(filledUntrackedColumns());
    }

    @Test
    void withIgnoreNullUpdatesAndNoSequenceByArrivalOrdersTheFill() {
        assertScenario(filledInArrivalOrder());
    }

    /** The rejects table's file, line, column and reason, in file and line order. */
    private static Table rejects(PipelineHarness pipeline) {
        String rejects = PipelineHarness.quote(pipeline.spec().tables().rejects());
        return pipeline.table("SELECT _file, _line, column_name, reason FROM " + rejects + " ORDER BY _file, _line",
                List.of("_file", "_line", "column_name", "reason"),
                List.of(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR, ColumnType.VARCHAR));
    }
}
