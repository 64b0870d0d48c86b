package dev.changepipe.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeFileReaderTest {

    /** id and seq are required (key and sequence_by); name, amount and day may be NULL. */
    static final String SPEC = """
            name: users
            landing: landing
            columns: {id: bigint, name: varchar, amount: decimal, day: date, seq: bigint}
            keys: [id]
            sequence_by: seq
            """;

    static final String HEADER = "id,name,amount,day,seq";

    @TempDir
    Path dir;

    /** A sink that keeps everything it is given. */
    static final class ListSink implements RowSink {
        final List<Long> lines = new ArrayList<>();
        final List<List<Object>> rows = new ArrayList<>();
        final List<RejectedRow> rejects = new ArrayList<>();
        /** Each row's rescued values as JSON text, or null: the value after the spec's columns. */
        final List<String> rescued = new ArrayList<>();

        @Override
        public void accept(long line, Object[] values) {
            lines.add(line);
            rows.add(Arrays.asList(Arrays.copyOf(values, values.length - 1)));
            rescued.add((String) values[values.length - 1]);
        }

        @Override
        public void reject(RejectedRow row) {
            rejects.add(row);
        }

        List<Object> ids() {
            return rows.stream().map(r -> r.get(0)).toList();
        }
    }

    record Result(ReadSummary summary, ListSink sink) {}

    static PipelineSpec spec(String yaml) {
        return SpecLoader.parse(yaml, Path.of("specs"), "test.yaml");
    }

    static List<Long> counts(ReadSummary summary) {
        return List.of(summary.rowsAccepted(), summary.rowsRejected());
    }

    Result read(String content) throws Exception {
        return read(SPEC, "users_1.csv", content.getBytes(StandardCharsets.UTF_8));
    }

    Result read(String specYaml, String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        ListSink sink = new ListSink();
        ReadSummary summary = new ChangeFileReader(spec(specYaml)).read(file, name, sink);
        assertThat(summary.rowsAccepted()).isEqualTo(sink.rows.size());
        assertThat(summary.rowsRejected()).isEqualTo(sink.rejects.size());
        // Every byte counts for the hash, also those after a record the parser gave up on.
        assertThat(summary.contentHash()).isEqualTo(
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        return new Result(summary, sink);
    }

    FileRefusedException refused(String content) throws IOException {
        Path file = dir.resolve("users_refused.csv");
        Files.writeString(file, content);
        ListSink sink = new ListSink();
        FileRefusedException e = org.junit.jupiter.api.Assertions.assertThrows(FileRefusedException.class,
                () -> new ChangeFileReader(spec(SPEC)).read(file, "users_refused.csv", sink));
        assertThat(sink.rows).isEmpty();
        return e;
    }

    static BigDecimal dec(String text) {
        return new BigDecimal(text).setScale(9);
    }

    // ---------------------------------------------------------------- rows and line numbers

    @Test
    void rowsAreTypedInSpecColumnOrderWithOneBasedLinesAfterTheHeader() throws Exception {
        Result r = read(HEADER + "\n1,Ann,12.5,2024-01-02,10\n2,Bob,0,2024-02-03,11\n");

        assertThat(r.sink.rows).containsExactly(
                List.of(1L, "Ann", dec("12.5"), LocalDate.of(2024, 1, 2), 10L),
                List.of(2L, "Bob", dec("0"), LocalDate.of(2024, 2, 3), 11L));
        assertThat(r.sink.lines).containsExactly(2L, 3L);
        assertThat(counts(r.summary)).isEqualTo(List.of(2L, 0L));
        assertThat(r.summary.firstError()).isNull();
    }

    @Test
    void aQuotedFieldWithAnEmbeddedNewlineMovesTheNextRecordTwoLinesOn() throws Exception {
        Result r = read(HEADER + "\n1,\"line one\nline two\",1,2024-01-01,1\n2,b,2,2024-01-01,2\n3,c,3,2024-01-01,3\n");

        assertThat(r.sink.lines).containsExactly(2L, 4L, 5L);
        assertThat(r.sink.rows.get(0).get(1)).isEqualTo("line one\nline two");
    }

    @Test
    void aRejectAfterAMultiLineRecordNamesItsPhysicalLine() throws Exception {
        Result r = read(HEADER + "\n1,\"a\n\nb\",1,2024-01-01,1\nx,b,2,2024-01-01,2\n");

        assertThat(r.sink.lines).containsExactly(2L);
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.line()).isEqualTo(5);
            assertThat(rej.column()).isEqualTo("id");
        });
    }

    @Test
    void blankLinesAreSkippedButStillCounted() throws Exception {
        Result r = read(HEADER + "\n1,a,1,2024-01-01,1\n\n2,b,2,2024-01-01,2\n");

        assertThat(r.sink.lines).containsExactly(2L, 4L);
    }

    @Test
    void crlfFilesReadLikeLfFiles() throws Exception {
        Result r = read(HEADER + "\r\n1,Ann,1.5,2024-01-02,10\r\n2,\"multi\r\nline\",,,11\r\n3,Cy,,,12\r\n");

        assertThat(r.sink.rows).containsExactly(
                Arrays.asList(1L, "Ann", dec("1.5"), LocalDate.of(2024, 1, 2), 10L),
                Arrays.asList(2L, "multi\r\nline", null, null, 11L),
                Arrays.asList(3L, "Cy", null, null, 12L));
        assertThat(r.sink.lines).containsExactly(2L, 3L, 5L);
        assertThat(r.sink.rejects).isEmpty();
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        byte[] body = (HEADER + "\n1,Zoë,1,2024-01-01,1\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);

        Result r = read(SPEC, "users_bom.csv", bytes);

        assertThat(r.sink.rows).containsExactly(List.of(1L, "Zoë", dec("1"), LocalDate.of(2024, 1, 1), 1L));
        assertThat(r.sink.lines).containsExactly(2L);
    }

    // ---------------------------------------------------------------- header mapping

    @Test
    void headerColumnsMayComeInAnotherOrderWithExtraColumns() throws Exception {
        Result r = read("seq,extra,day,ID,Name,AMOUNT,more\n7,x,2024-05-06,3,Eve,2.25,y\n");

        assertThat(r.sink.rows).containsExactly(List.of(3L, "Eve", dec("2.25"), LocalDate.of(2024, 5, 6), 7L));
    }

    @Test
    void theValuesOfColumnsTheSpecLacksAreRescuedAsJsonInHeaderOrderAndTheFileSaysWhichColumnsWereNew() throws Exception {
        Result r = read("seq,extra,day,ID,Name,AMOUNT,more\n7,x,2024-05-06,3,Eve,2.25,\n8,\"a,\"\"b\"\"\",2024-05-06,4,Al,1,y\n"
                + "9,,2024-05-06,5,Bo,1,\n");

        assertThat(r.sink.rescued).containsExactly("{\"extra\":\"x\",\"more\":null}",
                "{\"extra\":\"a,\\\"b\\\"\",\"more\":\"y\"}", null);
        assertThat(r.summary.drift()).isEqualTo(new HeaderDrift(List.of("extra", "more"), List.of()));
        assertThat(r.summary.drift().toJson()).isEqualTo("{\"new\":[\"extra\",\"more\"]}");
        assertThat(HeaderDrift.fromJson(r.summary.drift().toJson())).isEqualTo(r.summary.drift());
    }

    @Test
    void anUnnamedColumnIsRescuedUnderItsPositionButIsNotANewColumn() throws Exception {
        Result r = read(HEADER + ",\n1,a,1,2024-01-01,1,\n2,b,1,2024-01-01,2,kept\n");

        assertThat(r.sink.rescued).containsExactly(null, "{\"_c5\":\"kept\"}");
        assertThat(r.summary.drift()).isEqualTo(HeaderDrift.NONE);
    }

    @Test
    void aRescuedFieldThatIsNotUtf8RejectsItsRowNamingTheColumn() throws Exception {
        byte[] bytes = (HEADER + ",note\n1,a,1,2024-01-01,1,ok\n2,b,1,2024-01-01,2,X\n").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xFF;
        Result r = read(SPEC, "users_utf.csv", bytes);

        assertThat(r.sink.ids()).containsExactly(1L);
        assertThat(r.sink.rejects).extracting(RejectedRow::column, RejectedRow::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("note", "not valid UTF-8"));
    }

    @Test
    void withNewColumnsFailAFileWithAColumnTheSpecLacksIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("users_new.csv");
        Files.writeString(file, HEADER + ",phone\n1,a,1,2024-01-01,1,555\n");
        assertThatThrownBy(() -> new ChangeFileReader(spec(SPEC + "schema: {new_columns: fail}\n"))
                .read(file, "users_new.csv", new ListSink()))
                .isInstanceOf(FileRefusedException.class)
                .hasMessage("line 1: the header has column 'phone', which the spec does not declare, and schema.new_columns is fail");
    }

    @Test
    void withNewColumnsAddAHeaderWithAColumnTheTablesLackIsReadOnceTheyHaveIt() throws Exception {
        String adding = SPEC + "schema: {new_columns: add}\n";
        Path file = dir.resolve("users_add.csv");
        Files.writeString(file, HEADER + ",Phone\n1,a,1,2024-01-01,1,555\n");
        assertThatThrownBy(() -> new ChangeFileReader(spec(adding)).read(file, "users_add.csv", new ListSink()))
                .isInstanceOf(HeaderAddsColumnsException.class)
                .extracting(e -> ((HeaderAddsColumnsException) e).columns()).isEqualTo(List.of("Phone"));

        ListSink sink = new ListSink();
        ReadSummary summary = new ChangeFileReader(spec(adding).withAddedColumns(List.of("phone")))
                .read(file, "users_add.csv", sink);
        assertThat(sink.rows).containsExactly(List.of(1L, "a", dec("1"), LocalDate.of(2024, 1, 1), 1L, "555"));
        assertThat(sink.rescued).containsExactly((String) null);
        // New in every file that has it; and a file without it lacks no declared column.
        assertThat(summary.drift()).isEqualTo(new HeaderDrift(List.of("Phone"), List.of()));
        Files.writeString(file, HEADER + "\n2,b,1,2024-01-01,1\n");
        ListSink without = new ListSink();
        assertThat(new ChangeFileReader(spec(adding).withAddedColumns(List.of("phone"))).read(file, "users_add.csv", without)
                .drift()).isEqualTo(HeaderDrift.NONE);
        assertThat(without.rows).containsExactly(Arrays.asList(2L, "b", dec("1"), LocalDate.of(2024, 1, 1), 1L, null));
    }

    @Test
    void withNewColumnsAddAColumnThatCannotBeATableColumnRefusesTheFile() throws Exception {
        Path file = dir.resolve("users_bad.csv");
        for (String column : List.of("_file_id", "is_current", "bad name")) {
            Files.writeString(file, HEADER + "," + column + "\n1,a,1,2024-01-01,1,x\n");
            assertThatThrownBy(() -> new ChangeFileReader(spec(SPEC + "schema: {new_columns: add}\n"))
                    .read(file, "users_bad.csv", new ListSink()))
                    .isInstanceOf(FileRefusedException.class)
                    .hasMessageStartingWith("line 1: column '" + column + "' cannot be added to the tables");
        }
    }

    @Test
    void withMissingColumnsNullAValueColumnTheHeaderLacksIsNullAndTheFileSaysSo() throws Exception {
        Result r = read(SPEC + "schema: {missing_columns: null}\n", "users_m.csv",
                "id,seq,day,note\n1,1,2024-01-01,n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(r.sink.rows).containsExactly(Arrays.asList(1L, null, null, LocalDate.of(2024, 1, 1), 1L));
        assertThat(r.sink.rescued).containsExactly("{\"note\":\"n\"}");
        assertThat(r.summary.drift()).isEqualTo(new HeaderDrift(List.of("note"), List.of("name", "amount")));
        assertThat(r.summary.drift().summary()).isEqualTo("new note; missing name, amount");
    }

    @Test
    void withMissingColumnsNullKeysTheSequenceAndPredicateColumnsAreStillRequired() throws Exception {
        String spec = SPEC.replace("columns: {", "columns: {op: varchar, ") + "delete_when: \"op = 'D'\"\n"
                + "schema: {missing_columns: null}\n";
        Path file = dir.resolve("users_r.csv");
        Files.writeString(file, "id,name\n1,a\n");
        assertThatThrownBy(() -> new ChangeFileReader(spec(spec)).read(file, "users_r.csv", new ListSink()))
                .isInstanceOf(FileRefusedException.class)
                .hasMessageStartingWith("line 1: the header has no column 'op', 'seq'; it has: id, name (keys, sequence_by");
    }

    @Test
    void aHeaderNamingAnyColumnTwiceIsRefusedSinceItsValuesCouldNotBeToldApart() throws Exception {
        assertThat(refused(HEADER + ",note,NOTE\n1,a,1,2024-01-01,1,x,y\n")).hasMessage(
                "line 1: the header names column 'note' twice");
    }

    @Test
    void headerNamesAreMatchedIgnoringCaseAndSurroundingSpace() throws Exception {
        Result r = read(" ID , NAME ,Amount,DAY,Seq\n1,a,1,2024-01-01,1\n");

        assertThat(r.sink.ids()).containsExactly(1L);
    }

    @Test
    void aMissingSpecColumnRefusesTheFileNamingTheColumnAndListingTheHeader() throws Exception {
        FileRefusedException e = refused("id,name,day,seq\n1,a,2024-01-01,1\n");

        assertThat(e.getMessage()).startsWith("line 1: ");
        assertThat(e.getMessage()).contains("'amount'");
        assertThat(e.getMessage()).endsWith("id, name, day, seq");
    }

    @Test
    void everyMissingColumnIsNamed() throws Exception {
        FileRefusedException e = refused("id,name,day\n1,a,2024-01-01\n");

        assertThat(e.getMessage()).contains("'amount'", "'seq'");
    }

    @Test
    void aHeaderNamingAColumnTwiceIsRefused() throws Exception {
        FileRefusedException e = refused("id,name,amount,day,seq,name\n1,a,1,2024-01-01,1,b\n");

        assertThat(e.getMessage()).startsWith("line 1: ").contains("'name'");
    }

    @Test
    void aHeaderNamingAColumnTwiceInDifferentCaseIsRefused() throws Exception {
        FileRefusedException e = refused("id,name,amount,day,seq,NAME\n1,a,1,2024-01-01,1,b\n");

        assertThat(e.getMessage()).startsWith("line 1: ").contains("'name'");
    }

    /** Which spelling comes first must not decide whether a duplicate is noticed. */
    @Test
    void aHeaderNamingAColumnTwiceIsRefusedWhateverTheOrderOfSpellings() throws Exception {
        FileRefusedException e = refused("id,NAME,amount,day,seq,name\n1,a,1,2024-01-01,1,b\n");

        assertThat(e.getMessage()).startsWith("line 1: ").contains("'name'");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        FileRefusedException e = refused("");

        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void aFileOfOnlyBlankLinesHasNoHeaderAndIsRefused() throws Exception {
        assertThat(refused("\n\n").getMessage()).contains("header");
    }

    @Test
    void aHeaderOnlyFileHasNoRows() throws Exception {
        Result r = read(HEADER + "\n");

        assertThat(counts(r.summary)).isEqualTo(List.of(0L, 0L));
        assertThat(r.sink.rows).isEmpty();
        assertThat(r.sink.rejects).isEmpty();
    }

    // ---------------------------------------------------------------- rejects

    @Test
    void aWrongFieldCountIsARejectWithoutColumn() throws Exception {
        Result r = read(HEADER + "\n1,a,1,2024-01-01\n2,b,2,2024-01-01,2,extra\n3,c,3,2024-01-01,3\n");

        assertThat(r.sink.ids()).containsExactly(3L);
        assertThat(r.sink.rejects).hasSize(2);
        assertThat(r.sink.rejects).allSatisfy(rej -> assertThat(rej.column()).isNull());
        assertThat(r.sink.rejects).extracting(RejectedRow::line).containsExactly(2L, 3L);
        assertThat(r.sink.rejects.get(0).reason()).contains("5", "4");
        assertThat(r.sink.rejects.get(1).reason()).contains("5", "6");
    }

    @Test
    void theExpectedFieldCountIsTheHeadersIncludingExtraColumns() throws Exception {
        Result r = read("id,name,amount,day,seq,extra\n1,a,1,2024-01-01,1\n2,b,2,2024-01-01,2,x\n");

        assertThat(r.sink.ids()).containsExactly(2L);
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> assertThat(rej.reason()).contains("6", "5"));
    }

    @Test
    void aBadValueIsARejectNamingTheColumn() throws Exception {
        Result r = read(HEADER + "\n1,a,twelve,2024-01-01,1\n2,b,2,2024-02-30,2\nthree,c,3,2024-01-01,3\n4,d,4,2024-01-01,4\n");

        assertThat(r.sink.ids()).containsExactly(4L);
        assertThat(r.sink.rejects).extracting(RejectedRow::column).containsExactly("amount", "day", "id");
        assertThat(r.sink.rejects).extracting(RejectedRow::line).containsExactly(2L, 3L, 4L);
        assertThat(r.sink.rejects.get(0).reason()).contains("'twelve'", "decimal");
        assertThat(r.sink.rejects.get(1).reason()).contains("'2024-02-30'", "date");
        assertThat(r.sink.rejects.get(2).reason()).contains("'three'", "bigint");
    }

    @Test
    void aNullKeyIsARejectNamingTheKey() throws Exception {
        Result r = read(HEADER + "\n,a,1,2024-01-01,1\n\"\",a,1,2024-01-01,1\n");

        assertThat(r.sink.rows).isEmpty();
        assertThat(r.sink.rejects).hasSize(2).allSatisfy(rej -> {
            assertThat(rej.column()).isEqualTo("id");
            assertThat(rej.reason()).contains("key");
        });
    }

    @Test
    void aNullSequenceIsARejectNamingTheSequenceColumn() throws Exception {
        Result r = read(HEADER + "\n1,a,1,2024-01-01,\n");

        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.column()).isEqualTo("seq");
            assertThat(rej.reason()).contains("sequence_by");
            assertThat(rej.line()).isEqualTo(2);
        });
    }

    @Test
    void nullInAValueColumnIsAcceptedAsNullWhetherQuotedOrNot() throws Exception {
        Result r = read(HEADER + "\n1,,,,1\n2,\"\",\"\",\"\",2\n");

        assertThat(r.sink.rows).containsExactly(Arrays.asList(1L, null, null, null, 1L),
                Arrays.asList(2L, null, null, null, 2L));
    }

    @Test
    void invalidUtf8BytesRejectOnlyTheirRow() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((HEADER + "\n1,Ann,1,2024-01-01,1\n2,B").getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        bytes.write("b,2,2024-01-01,2\n3,Zoë,3,2024-01-01,3\n".getBytes(StandardCharsets.UTF_8));

        Result r = read(SPEC, "users_utf8.csv", bytes.toByteArray());

        assertThat(r.sink.ids()).containsExactly(1L, 3L);
        assertThat(r.sink.rows.get(1).get(1)).isEqualTo("Zoë");
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.line()).isEqualTo(3);
            assertThat(rej.column()).isEqualTo("name");
            assertThat(rej.reason()).contains("UTF-8");
        });
    }

    @Test
    void aGzipFileIsReadWhenItsNameEndsInGz() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write((HEADER + "\n1,a,1,2024-01-01,1\n2,b,2,2024-01-01,2\n").getBytes(StandardCharsets.UTF_8));
        }

        Result r = read(SPEC, "users_1.csv.gz", compressed.toByteArray());

        assertThat(r.sink.ids()).containsExactly(1L, 2L);
        assertThat(r.sink.lines).containsExactly(2L, 3L);
    }

    @Test
    void aGzipFileWithAByteOrderMarkIsRead() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            gz.write((HEADER + "\n5,e,1,2024-01-01,1\n").getBytes(StandardCharsets.UTF_8));
        }

        Result r = read(SPEC, "users_2.csv.gz", compressed.toByteArray());

        assertThat(r.sink.ids()).containsExactly(5L);
    }

    @Test
    void aFileNotNamedGzIsReadAsPlainText() throws Exception {
        Result r = read(SPEC, "users_3.csv", (HEADER + "\n6,f,1,2024-01-01,1\n").getBytes(StandardCharsets.UTF_8));

        assertThat(r.sink.ids()).containsExactly(6L);
    }

    @Test
    void withoutHeaderFieldsMapByPosition() throws Exception {
        String spec = SPEC + "csv: {header: false}\n";

        Result r = read(spec, "users_nh.csv", "1,a,1,2024-01-01,1\n2,b,2,2024-01-01,2,extra\n3,c,3,2024-01-01,3\n"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.sink.ids()).containsExactly(1L, 3L);
        assertThat(r.sink.lines).containsExactly(1L, 3L);
        assertThat(r.sink.rows.get(0)).containsExactly(1L, "a", dec("1"), LocalDate.of(2024, 1, 1), 1L);
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> assertThat(rej.line()).isEqualTo(2));
    }

    @Test
    void withoutHeaderAnEmptyFileIsStillRefused() throws Exception {
        Path file = dir.resolve("users_empty.csv");
        Files.write(file, new byte[0]);

        assertThatThrownBy(() -> new ChangeFileReader(spec(SPEC + "csv: {header: false}\n")).read(file, "users_empty.csv",
                new ListSink())).isInstanceOf(FileRefusedException.class).hasMessageContaining("empty");
    }

    @Test
    void aCustomDelimiterAndNullText() throws Exception {
        String spec = SPEC + "csv: {delimiter: \";\", null: \"NULL\"}\n";
        String content = "id;name;amount;day;seq\n1;NULL;1,5;2024-01-01;1\n2;;NULL;NULL;2\n3;\"a;b\";3;2024-01-01;3\nNULL;x;1;2024-01-01;4\n";

        Result r = read(spec, "users_semi.csv", content.getBytes(StandardCharsets.UTF_8));

        assertThat(r.sink.ids()).containsExactly(2L, 3L);
        assertThat(r.sink.rows.get(0)).containsExactly(2L, "", null, null, 2L);
        assertThat(r.sink.rows.get(1).get(1)).isEqualTo("a;b");
        assertThat(r.sink.rejects).extracting(RejectedRow::column).containsExactly("amount", "id");
        assertThat(r.sink.rejects).extracting(RejectedRow::line).containsExactly(2L, 5L);
    }

    @Test
    void anUnterminatedQuoteAtTheEndKeepsTheRowsBeforeItAndRecordsAReject() throws Exception {
        Result r = read(HEADER + "\n1,a,1,2024-01-01,1\n2,b,2,2024-01-01,2\n3,\"never closed,3,2024-01-01,3\n");

        assertThat(r.sink.ids()).containsExactly(1L, 2L);
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.line()).isEqualTo(4);
            assertThat(rej.column()).isNull();
        });
        assertThat(r.summary.rowsAccepted()).isEqualTo(2);
        assertThat(r.summary.rowsRejected()).isEqualTo(1);
    }

    @Test
    void aMalformedRecordIsRejectedAtTheLineWhereItStarts() throws Exception {
        Result r = read(HEADER + "\n1,\"two\nlines\",1,2024-01-01,1\n2,\"b\"x,2,2024-01-01,2\n");

        assertThat(r.sink.ids()).containsExactly(1L);
        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.column()).isNull();
            assertThat(rej.reason()).startsWith("malformed CSV");
            assertThat(rej.line()).isEqualTo(4);
        });
    }

    @Test
    void readingGoesOnAtTheLineAfterAMalformedRecord() throws Exception {
        Result r = read(HEADER + "\r\n1,a,1,2024-01-01,1\r\n2,\"b\" x,2,2024-01-01,2\r\n3,\"c\r\nc\",3,2024-01-01,3\r\n"
                + "4,\"d\"\",x\"y,4,2024-01-01,4\r\n5,e,5,2024-01-01,5");

        assertThat(r.sink.ids()).containsExactly(1L, 3L, 5L);
        assertThat(r.sink.lines).containsExactly(2L, 4L, 7L);
        assertThat(r.sink.rejects).extracting(RejectedRow::line).containsExactly(3L, 6L);
        assertThat(r.sink.rejects).extracting(RejectedRow::rawText)
                .containsExactly("2,\"b\" x,2,2024-01-01,2", "4,\"d\"\",x\"y,4,2024-01-01,4");
        assertThat(r.sink.rejects).allSatisfy(rej -> {
            assertThat(rej.column()).isNull();
            assertThat(rej.reason()).startsWith("malformed CSV").doesNotContain("record starting at line");
        });
    }

    @Test
    void aHeaderThatIsNotValidCsvRefusesTheFile() throws Exception {
        assertThat(refused("id,\"name\"x,amount,day,seq\n1,a,1,2024-01-01,1\n").getMessage())
                .startsWith("the header is not valid CSV").contains("closing quote");
    }

    @Test
    void aFileNamedGzThatIsNotGzipOrIsCutShortIsRefused() throws Exception {
        StringBuilder rows = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 50_000; i++) {
            rows.append(i).append(",a,1,2024-01-01,1\n");
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = java.util.Arrays.copyOf(compressed.toByteArray(), compressed.size() / 2);

        for (byte[] bytes : List.of(rows.toString().getBytes(StandardCharsets.UTF_8), cut)) {
            Path file = dir.resolve("users_1.csv.gz");
            Files.write(file, bytes);
            assertThatThrownBy(() -> new ChangeFileReader(spec(SPEC)).read(file, "users_1.csv.gz", new ListSink()))
                    .isInstanceOf(FileRefusedException.class)
                    .hasMessageStartingWith("not a readable gzip file");
        }
    }

    @Test
    void theRawTextOfARejectReEncodesQuotedFields() throws Exception {
        Result r = read(HEADER + "\n1,\"Smith, J\",\"He said \"\"hi\"\"\",\"two\nlines\",1\n");

        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.column()).isEqualTo("amount");
            assertThat(rej.rawText()).isEqualTo("1,\"Smith, J\",\"He said \"\"hi\"\"\",\"two\nlines\",1");
        });
    }

    @Test
    void theRawTextUsesTheSpecDelimiterAndQuote() throws Exception {
        String spec = SPEC + "csv: {delimiter: \"|\", quote: \"'\"}\n";
        String content = "id|name|amount|day|seq\nx|'a|b'|'it''s'|2024-01-01|1\n";

        Result r = read(spec, "users_pipe.csv", content.getBytes(StandardCharsets.UTF_8));

        assertThat(r.sink.rejects).singleElement().satisfies(rej -> {
            assertThat(rej.column()).isEqualTo("id");
            assertThat(rej.rawText()).isEqualTo("x|'a|b'|'it''s'|2024-01-01|1");
        });
    }

    @Test
    void theRawTextOfAHugeRecordIsCut() throws Exception {
        String huge = "x".repeat(ChangeFileReader.MAX_RAW_TEXT * 2);
        Result r = read(HEADER + "\nbad," + huge + ",1,2024-01-01,1\n");

        String raw = r.sink.rejects.get(0).rawText();
        assertThat(raw).hasSize(ChangeFileReader.MAX_RAW_TEXT + 1).startsWith("bad,xxx").endsWith("…");
    }

    @Test
    void theSummaryCountsRowsAndNamesTheFirstError() throws Exception {
        Result r = read(HEADER + "\n1,a,1,2024-01-01,1\n2,b,oops,2024-01-01,2\n3,c,3,2024-01-01,3\n4,d\n");

        assertThat(r.summary.rowsAccepted()).isEqualTo(2);
        assertThat(r.summary.rowsRejected()).isEqualTo(2);
        assertThat(r.summary.firstError()).startsWith("line 3: amount: ");
        assertThat(r.summary.firstError()).contains("'oops'");
    }

    @Test
    void theFirstErrorOfAWholeRecordHasNoColumn() throws Exception {
        Result r = read(HEADER + "\n4,d\n1,a,x,2024-01-01,1\n");

        assertThat(r.summary.firstError()).startsWith("line 2: expected ");
    }

    @Test
    void theReaderCanReadSeveralFiles() throws Exception {
        ChangeFileReader reader = new ChangeFileReader(spec(SPEC));
        Path first = Files.writeString(dir.resolve("users_a.csv"), HEADER + "\n1,a,1,2024-01-01,1\n");
        Path second = Files.writeString(dir.resolve("users_b.csv"), "seq,day,amount,name,id\n9,2024-01-01,1,b,2\nx,,,,\n");

        ListSink a = new ListSink();
        ListSink b = new ListSink();
        assertThat(counts(reader.read(first, "users_a.csv", a))).isEqualTo(List.of(1L, 0L));
        ReadSummary summary = reader.read(second, "users_b.csv", b);

        assertThat(b.rows).containsExactly(List.of(2L, "b", dec("1"), LocalDate.of(2024, 1, 1), 9L));
        assertThat(summary.rowsRejected()).isEqualTo(1);
        assertThat(b.rejects.get(0).column()).isEqualTo("id");
    }

    /**
     * Property: a file written from random rows (quoting as a CSV writer would) reads back the same
     * values, and each row at the line where it starts.
     */
    @Test
    void randomRowsRoundTrip() throws Exception {
        Random random = new Random(99L);
        String alphabet = "abcXYZ 09,\"\n;é€";
        for (int round = 0; round < 30; round++) {
            StringBuilder file = new StringBuilder(HEADER + "\n");
            long line = 2;
            List<List<Object>> expected = new ArrayList<>();
            List<Long> expectedLines = new ArrayList<>();
            int rows = random.nextInt(40);
            for (int i = 0; i < rows; i++) {
                StringBuilder name = new StringBuilder();
                int length = 1 + random.nextInt(8);
                for (int c = 0; c < length; c++) {
                    name.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String text = name.toString();
                long id = random.nextLong();
                long seq = random.nextInt(1000);
                file.append(id).append(",\"").append(text.replace("\"", "\"\"")).append("\",,,").append(seq).append('\n');
                expected.add(Arrays.asList(id, text, null, null, seq));
                expectedLines.add(line);
                line += 1 + text.chars().filter(ch -> ch == '\n').count();
            }

            Result r = read(file.toString());

            assertThat(r.sink.rejects).isEmpty();
            assertThat(r.sink.rows).isEqualTo(expected);
            assertThat(r.sink.lines).isEqualTo(expectedLines);
        }
    }
}
