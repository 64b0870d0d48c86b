package dev.changepipe.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.spec.QualityCheck.OnFail;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quality checks as core's reader holds rows to them (docs/semantics.md §1.7). */
class ChangeFileReaderChecksTest {

    static final String SPEC = ChangeFileReaderTest.SPEC + """
            checks:
              - {name: amount_positive, must: "amount > 0", on_fail: %s}
              - {name: name_known, must: "name <> 'unknown' AND day >= '2024-01-01'", on_fail: %s}
            """;

    static final String HEADER = ChangeFileReaderTest.HEADER;

    @TempDir
    Path dir;

    record Read(ReadSummary summary, ChangeFileReaderTest.ListSink sink) {}

    Read read(String first, String second, String content) throws Exception {
        Path file = dir.resolve("users_1.csv");
        Files.writeString(file, content);
        ChangeFileReaderTest.ListSink sink = new ChangeFileReaderTest.ListSink();
        ReadSummary summary = new ChangeFileReader(SpecLoader.parse(SPEC.formatted(first, second), dir, "t.yaml"))
                .read(file, "users_1.csv", sink);
        return new Read(summary, sink);
    }

    FileRefusedException refused(String first, String second, String content) throws Exception {
        Path file = dir.resolve("users_1.csv");
        Files.writeString(file, content);
        ChangeFileReaderTest.ListSink sink = new ChangeFileReaderTest.ListSink();
        return org.junit.jupiter.api.Assertions.assertThrows(FileRefusedException.class, () ->
                new ChangeFileReader(SpecLoader.parse(SPEC.formatted(first, second), dir, "t.yaml"))
                        .read(file, "users_1.csv", sink));
    }

    static final String ROWS = HEADER + """

            1,Ann,5,2024-01-02,1
            2,Bob,-1,2024-01-02,2
            3,unknown,7,2024-01-02,3
            4,unknown,-3,2024-01-02,4
            5,,,,5
            """;

    @Test
    void dropRejectsTheRowNamingTheCheckItsLineItsColumnAndItsText() throws Exception {
        Read r = read("drop", "drop", ROWS);

        assertThat(r.sink.ids()).containsExactly(1L, 5L);
        assertThat(r.sink.rejects).containsExactly(
                new RejectedRow(3, "amount", "check failed: amount_positive", "2,Bob,-1,2024-01-02,2"),
                // A check over two columns names none of them.
                new RejectedRow(4, null, "check failed: name_known", "3,unknown,7,2024-01-02,3"),
                // Two failed drop checks: the first in spec order is the reason, and the only one counted.
                new RejectedRow(5, "amount", "check failed: amount_positive", "4,unknown,-3,2024-01-02,4"));
        assertThat(r.summary.rowsRejected()).isEqualTo(3);
        assertThat(r.summary.firstError()).isEqualTo("line 3: amount: check failed: amount_positive");
        assertThat(r.summary.checks().counts()).containsExactly(
                new CheckCounts.Count("amount_positive", OnFail.DROP, 2),
                new CheckCounts.Count("name_known", OnFail.DROP, 1));
    }

    @Test
    void warnLoadsTheRowAndCountsItUnderEveryWarnCheckItFailed() throws Exception {
        Read r = read("warn", "warn", ROWS);

        assertThat(r.sink.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(r.sink.rejects).isEmpty();
        assertThat(r.summary.rowsAccepted()).isEqualTo(5);
        assertThat(r.summary.checks().counts()).containsExactly(
                new CheckCounts.Count("amount_positive", OnFail.WARN, 2),
                new CheckCounts.Count("name_known", OnFail.WARN, 2));
    }

    @Test
    void aDroppedRowIsNotCountedAsWarnedToo() throws Exception {
        Read r = read("warn", "drop", ROWS);

        assertThat(r.sink.ids()).containsExactly(1L, 2L, 5L);
        assertThat(r.sink.rejects).extracting(RejectedRow::line).containsExactly(4L, 5L);
        assertThat(r.summary.checks().counts()).containsExactly(
                new CheckCounts.Count("amount_positive", OnFail.WARN, 1),
                new CheckCounts.Count("name_known", OnFail.DROP, 2));
    }

    @Test
    void nullPassesAsInSqlCheck() throws Exception {
        Read r = read("drop", "drop", HEADER + "\n5,,,,5\n6,Zed,,,6\n7,unknown,,,7\n");

        // amount NULL: amount > 0 is UNKNOWN; name 'Zed' and day NULL: TRUE AND UNKNOWN is UNKNOWN: both pass.
        assertThat(r.sink.ids()).containsExactly(5L, 6L);
        // name 'unknown' and day NULL: FALSE AND UNKNOWN is FALSE, as in SQL: the row fails.
        assertThat(r.sink.rejects).extracting(RejectedRow::line, RejectedRow::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, "check failed: name_known"));
    }

    @Test
    void refuseRefusesTheFileNamingTheCheckTheLineAndTheField() throws Exception {
        FileRefusedException e = refused("drop", "refuse", ROWS);

        // Line 3 fails only the drop check; line 4 fails the refuse check.
        assertThat(e.getMessage()).isEqualTo("line 4: check 'name_known' failed (checks[1].must: name <> 'unknown'"
                + " AND day >= '2024-01-01') and its on_fail is refuse");
        assertThat(e.checks().counts()).containsExactly(new CheckCounts.Count("name_known", OnFail.REFUSE, 1));
    }

    @Test
    void aRefuseCheckRefusesEvenWhenAnEarlierDropCheckFailsOnTheSameRow() throws Exception {
        FileRefusedException e = refused("drop", "refuse", HEADER + "\n4,unknown,-3,2024-01-02,4\n");

        assertThat(e.getMessage()).startsWith("line 2: check 'name_known' failed");
    }

    @Test
    void rowsRejectedBeforeTheChecksAreNotChecked() throws Exception {
        Read r = read("drop", "drop", HEADER + "\n,Bob,-1,2024-01-02,2\n7,Eve,x,2024-01-02,7\n");

        assertThat(r.sink.rejects).extracting(RejectedRow::reason)
                .containsExactly("key column is NULL", "cannot read 'x' as decimal");
        assertThat(r.summary.checks().isEmpty()).isTrue();
    }

    @Test
    void theCountsKeepTheirStoredFormExactly() {
        CheckCounts counts = new CheckCounts(List.of(new CheckCounts.Count("amount_positive", OnFail.WARN, 2),
                new CheckCounts.Count("name_known", OnFail.REFUSE, 1)));

        assertThat(counts.toJson()).isEqualTo("[{\"check\":\"amount_positive\",\"on_fail\":\"warn\",\"rows\":2},"
                + "{\"check\":\"name_known\",\"on_fail\":\"refuse\",\"rows\":1}]");
        assertThat(CheckCounts.fromJson(counts.toJson())).isEqualTo(counts);
        assertThat(CheckCounts.NONE.toJson()).isNull();
        assertThat(CheckCounts.fromJson(null)).isEqualTo(CheckCounts.NONE);
        assertThat(counts.summary()).isEqualTo("amount_positive warned 2; name_known refused the file");
    }
}
