package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.ledger.RecordedFile;
import dev.changepipe.ledger.RecordedFiles;
import dev.changepipe.spec.ColumnType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ingestion, rule 1 of docs/semantics.md: what lands in the raw table and its rejects table, which
 * files are loaded, refused or skipped, and in which order.
 */
public abstract class IngestConformanceTest extends ConformanceSuite {
    private static final List<String> REJECT_COLUMNS = List.of("_file", "_line", "column_name", "raw_text");

    @Test
    void rowsLandInTheRawTableWithTheirFileLineAndIngestionTime() {
        Instant before = Instant.now().minusSeconds(1);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            // Record 2 spans lines 3 and 4 (a quoted line break), so record 3 starts on line 5.
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,1
                    2,"Bob
                    Jr",Rome,U,1
                    3,Cy,Lima,U,1
                    """);
            pipeline.deliver("people_2.csv", """
                    id,name,city,op,seq
                    4,Dan,Oslo,U,1
                    """);
            pipeline.runUntilIdle();
            Instant after = Instant.now().plusSeconds(1);

            Table raw = pipeline.raw();
            assertThat(raw.project(List.of("id", "name", "city", "op", "seq", "_file", "_line"))).isEqualTo(new Table(
                    List.of("id", "name", "city", "op", "seq", "_file", "_line"),
                    List.of(
                            List.of("1", "Ann", "Oslo", "U", "1", "people_1.csv", "2"),
                            List.of("2", "Bob\nJr", "Rome", "U", "1", "people_1.csv", "3"),
                            List.of("3", "Cy", "Lima", "U", "1", "people_1.csv", "5"),
                            List.of("4", "Dan", "Oslo", "U", "1", "people_2.csv", "2"))));

            // One ledger id per file, increasing in ingestion order.
            List<String> firstIds = raw.where("_file", "people_1.csv").column("_file_id");
            List<String> secondIds = raw.where("_file", "people_2.csv").column("_file_id");
            assertThat(firstIds).containsOnly(firstIds.get(0));
            assertThat(secondIds).containsOnly(secondIds.get(0));
            assertThat(Canonical.compare(firstIds.get(0), secondIds.get(0))).isLessThan(0);

            // One ingestion time per file, in UTC, strictly increasing from file to file, and now.
            Map<String, List<String>> times = pipeline.ingestionTimes();
            assertThat(times.get("people_1.csv")).hasSize(1);
            assertThat(times.get("people_2.csv")).hasSize(1);
            Instant first = Instant.parse(times.get("people_1.csv").get(0));
            Instant second = Instant.parse(times.get("people_2.csv").get(0));
            assertThat(first).isBefore(second).isBetween(before, after);
            assertThat(second).isBetween(before, after);
        }
    }

    @Test
    void filesFoundInOneScanLoadInOrderOfLastModifiedTimeThenName() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            // Same key and sequence value in each: on a tie the later arrival wins, so the file loaded last shows.
            pipeline.deliver("people_b.csv", People.HEADER + "\n1,Bob,FromB,U,1\n", t);
            pipeline.deliver("people_c.csv", People.HEADER + "\n1,Cy,FromC,U,1\n", t.plusSeconds(10));
            pipeline.deliver("people_a.csv", People.HEADER + "\n1,Ann,FromA,U,1\n", t.plusSeconds(10));
            pipeline.runUntilIdle();

            Table order = pipeline.table("SELECT _file, min(_file_id) AS first_id FROM "
                            + PipelineHarness.quote(pipeline.spec().tables().raw()) + " GROUP BY _file ORDER BY first_id",
                    List.of("_file", "first_id"), Arrays.asList(ColumnType.VARCHAR, ColumnType.BIGINT));
            assertThat(order.column("_file")).containsExactly("people_b.csv", "people_a.csv", "people_c.csv");
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Cy   | FromC
                    """));
        }
    }

    @Test
    void badRowsGoToTheRejectsTableWhileTheOtherRowsOfTheFileLoad() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", """
                    id,name,city,op,seq
                    1,Ann,Oslo,U,1
                    x,Bob,Rome,U,1
                    3,Cy,Lima,U,abc
                    ,Dan,Oslo,U,1
                    5,Eve,Oslo,U,
                    6,Fay,Oslo,U
                    7,Gus,Kyiv,U,1
                    """);
            pipeline.runUntilIdle();

            Table rejects = rejects(pipeline);
            assertThat(rejects.project(REJECT_COLUMNS)).isEqualTo(Table.parse("""
                    _file        | _line | column_name | raw_text
                    people_1.csv | 3     | id          | x,Bob,Rome,U,1
                    people_1.csv | 4     | seq         | 3,Cy,Lima,U,abc
                    people_1.csv | 5     | id          | ,Dan,Oslo,U,1
                    people_1.csv | 6     | seq         | 5,Eve,Oslo,U,
                    people_1.csv | 7     | null        | 6,Fay,Oslo,U
                    """));
            List<String> reasons = rejects.column("reason");
            assertThat(reasons.get(0)).as("reason for a bad bigint").contains("x").containsIgnoringCase("bigint");
            assertThat(reasons.get(1)).as("reason for a bad bigint").contains("abc").containsIgnoringCase("bigint");
            assertThat(reasons.get(2)).as("reason for a NULL key").containsIgnoringCase("null");
            assertThat(reasons.get(3)).as("reason for a NULL sequence value").containsIgnoringCase("null");
            assertThat(reasons.get(4)).as("reason for a wrong field count").containsIgnoringCase("field");

            // The rejects belong to the same load as the file's good rows.
            Table raw = pipeline.raw();
            assertThat(raw.column("id")).containsExactly("1", "7");
            assertThat(rejects.column("_file_id")).containsOnly(raw.column("_file_id").get(0));
            assertThat(rejects.column("_ingested_at")).containsOnly(pipeline.ingestionTimeOf("people_1.csv"));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    7  | Gus  | Kyiv
                    """));
        }
    }

    @Test
    void aFileWhoseHeaderLacksASpecColumnIsRefusedWholeAndTheOthersLoad() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n");
            pipeline.deliver("people_2.csv", """
                    id,name,op,seq
                    2,Bob,U,1
                    """);
            pipeline.deliver("people_3.csv", People.HEADER + "\n3,Cy,Lima,U,1\n");
            pipeline.runUntilIdle();

            assertThat(pipeline.raw().column("_file")).containsExactly("people_1.csv", "people_3.csv");
            assertThat(rejects(pipeline).column("_file")).doesNotContain("people_2.csv");
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    3  | Cy   | Lima
                    """));
        }
    }

    @Test
    void theHeaderMayNameTheColumnsInAnyOrderAndHaveExtraColumns() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", """
                    city,seq,note,id,op,name
                    Oslo,1,ignored,1,U,Ann
                    """);
            pipeline.runUntilIdle();
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Oslo
                    """));
        }
    }

    @Test
    void theSameNameWithTheSameContentIsNotLoadedTwice() {
        String content = People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n";
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", content);
            pipeline.runUntilIdle();
            Table current = pipeline.current();
            Table history = pipeline.history();

            // Written again: a new modification time, the same bytes.
            pipeline.deliver("people_1.csv", content);
            pipeline.runUntilIdle();

            assertThat(pipeline.raw().column("id")).containsExactly("1", "2");
            assertThat(pipeline.current()).isEqualTo(current);
            assertThat(pipeline.history()).isEqualTo(history);
        }
    }

    @Test
    void theSameNameWithNewContentIsLoadedAsANewVersionOfTheFile() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.runUntilIdle();
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Lima,U,2\n");
            pipeline.runUntilIdle();

            // Both versions' rows are in raw, each version with its own ledger id.
            Table raw = pipeline.raw();
            assertThat(raw.project(List.of("id", "city", "_file", "_line"))).isEqualTo(Table.parse("""
                    id | city | _file        | _line
                    1  | Oslo | people_1.csv | 2
                    2  | Rome | people_1.csv | 3
                    1  | Lima | people_1.csv | 2
                    """));
            assertThat(raw.column("_file_id").get(2)).isNotEqualTo(raw.column("_file_id").get(0));
            assertThat(pipeline.current()).isEqualTo(Table.parse("""
                    id | name | city
                    1  | Ann  | Lima
                    2  | Bob  | Rome
                    """));
            assertThat(pipeline.history().project(List.of("id", "city", "start_time", "end_time")))
                    .isEqualTo(Table.parse("""
                            id | city | start_time | end_time
                            1  | Oslo | 1          | 2
                            1  | Lima | 2          | null
                            2  | Rome | 1          | null
                            """));
        }
    }

    @Test
    void anObjectFromABucketIsRecordedWithItsAddressAndEtagAndFoundAgainUnderItsPrefix() throws IOException {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            // What a bucket landing zone hands the engine: a local copy, the object's address and its ETag.
            byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(StandardCharsets.UTF_8);
            Path copy = Files.write(workDir.resolve("spooled-copy.csv"), content);
            String address = "s3://changes/people_%/people_1.csv";
            pipeline.engine().load(List.of(new LandedFile("people_1.csv", copy, content.length,
                    Instant.parse("2026-01-01T00:00:00Z"), BadInputCorpusConformanceTest.sha256(content), null, address,
                    "9b2cf535f27731c974343645a3985328")));

            assertThat(pipeline.engine().ledger(LedgerQuery.all()))
                    .extracting(LedgerEntry::name, LedgerEntry::location, LedgerEntry::etag, LedgerEntry::status)
                    .containsExactly(tuple("people_1.csv", address, "9b2cf535f27731c974343645a3985328", FileStatus.LOADED));
            assertThat(RecordedFiles.under(pipeline.engine(), "s3://changes/people_%/"))
                    .containsExactly(new RecordedFile(address, "9b2cf535f27731c974343645a3985328", content.length,
                            Instant.parse("2026-01-01T00:00:00Z")));
            // A prefix is matched as it is written: '%' and '_' are no wildcards.
            assertThat(RecordedFiles.under(pipeline.engine(), "s3://changes/people_x/")).isEmpty();
            assertThat(RecordedFiles.under(pipeline.engine(), "s3://changes/people")).hasSize(1);
        }
    }

    @Test
    void theSameContentUnderAnotherNameIsLoadedAsAnotherFile() {
        String content = People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n";
        for (Processing processing : Processing.values()) {
            try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
                pipeline.process(List.of(new Scenario.ChangeFile("people_1.csv", content),
                        new Scenario.ChangeFile("people_2.csv", content)), processing);

                assertThat(pipeline.raw().project(List.of("id", "_file"))).as("raw, processed %s", processing)
                        .isEqualTo(Table.parse("""
                                id | _file
                                1  | people_1.csv
                                2  | people_1.csv
                                1  | people_2.csv
                                2  | people_2.csv
                                """));
                assertThat(pipeline.current()).isEqualTo(Table.parse("""
                        id | name | city
                        1  | Ann  | Oslo
                        2  | Bob  | Rome
                        """));
            }
        }
    }

    /**
     * Every column type keeps its value (rule 1.6): timestamp as written, timestamptz as the same
     * instant in UTC, decimals and doubles exactly, an empty field as NULL.
     */
    @Test
    void valuesAreStoredAsTheirDeclaredTypes() {
        String spec = """
                name: typed
                columns: {id: bigint, n: integer, d: double, m: decimal, s: varchar, b: boolean, day: date, ts: timestamp, tz: timestamptz}
                keys: [id]
                """;
        try (PipelineHarness pipeline = openPipeline(spec)) {
            pipeline.deliver("typed_1.csv", """
                    id,n,d,m,s,b,day,ts,tz
                    1,42,2.5,10.25,hello,true,2024-03-01,2024-03-01 10:15:00,2024-03-01T10:15:00+02:00
                    2,-7,0.1,0.000000001,"a,b",no,1999-12-31,1999-12-31T23:59:59.123456,1999-12-31T23:59:59Z
                    3,,,,,,,,
                    4,2147483647,0.30000000000000004,-99999999999999999999999999999.999999999,ü€😀,false,1900-01-01,1969-12-31 23:59:59.5,1969-12-31T23:59:59.5-01:00
                    """);
            pipeline.runUntilIdle();
            Table expected = Table.parse("""
                    id | n    | d    | m           | s     | b     | day        | ts                         | tz
                    1  | 42   | 2.5  | 10.25       | hello | true  | 2024-03-01 | 2024-03-01T10:15:00        | 2024-03-01T08:15:00Z
                    2  | -7   | 0.1  | 0.000000001 | a,b   | false | 1999-12-31 | 1999-12-31T23:59:59.123456 | 1999-12-31T23:59:59Z
                    3  | null | null | null        | null  | null  | null       | null                       | null
                    4  | 2147483647 | 0.30000000000000004 | -99999999999999999999999999999.999999999 | ü€😀 | false | 1900-01-01 | 1969-12-31T23:59:59.5 | 1970-01-01T00:59:59.5Z
                    """);
            assertThat(pipeline.raw().project(expected.columns())).isEqualTo(expected);
            assertThat(pipeline.current()).isEqualTo(expected);
        }
    }

    /** The rejects table, ordered by line: file, line, column, reason, raw text, file id, ingestion time. */
    private static Table rejects(PipelineHarness pipeline) {
        List<String> columns = List.of("_file", "_line", "column_name", "reason", "raw_text", "_file_id", "_ingested_at");
        String select = "SELECT " + String.join(", ", columns.stream().map(PipelineHarness::quote).toList())
                + " FROM " + PipelineHarness.quote(pipeline.spec().tables().rejects()) + " ORDER BY _file_id, _line";
        return pipeline.table(select, columns, Arrays.asList(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR,
                ColumnType.VARCHAR, ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.TIMESTAMPTZ));
    }
}
