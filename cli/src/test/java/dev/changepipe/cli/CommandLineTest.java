package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void runOnceAppliesTheDocumentedAutoCdcExampleAndQueryPrintsCsv() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli run = Cli.run("run", "--spec", spec.toString(), "--once");
        assertThat(run.exitCode()).as(run.err()).isZero();

        Cli history = Cli.run("query", "--spec", spec.toString(), "--format", "csv",
                "SELECT userId, name, city, start_time, end_time, is_current FROM users_history ORDER BY userId, start_time");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).isEqualTo(String.join("\n",
                "userId,name,city,start_time,end_time,is_current",
                "123,Isabel,Monterrey,1,5,false",
                "123,Isabel,Chihuahua,5,6,false",
                "124,Raul,Oaxaca,1,,true",
                "125,Mercedes,Tijuana,2,5,false",
                "125,Mercedes,Mexicali,5,6,false",
                "125,Mercedes,Guadalajara,6,,true",
                "126,Lily,Cancun,2,,true", ""));
    }

    @Test
    void csvFormatWritesNullAsEmptyQuotesEmptyStringsAndSpellsBooleans() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli csv = Cli.run("query", "--spec", spec.toString(), "--format", "csv",
                "SELECT NULL AS n, '' AS e, true AS t, false AS f, 'a,\"b\"' AS q, 2.50::DECIMAL(38,9) AS d");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).isEqualTo("n,e,t,f,q,d\n,\"\",true,false,\"a,\"\"b\"\"\",2.5\n");
    }

    @Test
    void csvRecordsEndWithLfWhileFieldsWithCrOrLfStayQuotedWhole() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli csv = Cli.run("query", "--spec", spec.toString(), "--format", "csv",
                "SELECT 'a' || chr(13) || chr(10) || 'b' AS crlf, 'c' || chr(10) || 'd' AS lf, 'e' || chr(13) AS cr, 1 AS n");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).isEqualTo("crlf,lf,cr,n\n\"a\r\nb\",\"c\nd\",\"e\r\",1\n");
    }

    @Test
    void jsonFormatKeepsNumbersAndBooleans() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli json = Cli.run("query", "--spec", spec.toString(), "--format", "json",
                "SELECT 7::BIGINT AS id, NULL AS n, true AS t, 'x' AS s");
        assertThat(json.out().strip()).isEqualTo("[{\"id\":7,\"n\":null,\"t\":true,\"s\":\"x\"}]");
    }

    @Test
    void historyShowsOneKeysVersionsOldestFirst() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();
        Cli history = Cli.run("history", "--spec", spec.toString(), "--format", "csv", "125");
        assertThat(history.out().lines().skip(1).map(l -> l.split(",")[2]).toList())
                .containsExactly("Tijuana", "Mexicali", "Guadalajara");
    }

    @Test
    void asOfQueriesAndKeysReadTheCurrentTableAtASequenceTime() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();

        Cli query = Cli.run("query", "--spec", spec.toString(), "--format", "csv", "--as-of", "5",
                "SELECT userId, city FROM users ORDER BY userId");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo("userId,city\n123,Chihuahua\n124,Oaxaca\n125,Mexicali\n126,Cancun\n");
        Cli key = Cli.run("history", "--spec", spec.toString(), "--format", "csv", "--as-of", "5", "125");
        assertThat(key.exitCode()).as(key.err()).isZero();
        assertThat(key.out()).isEqualTo("userId,name,city\n125,Mercedes,Mexicali\n");
        // Deleted at 6: no row as of 6, and none before its first change.
        for (String[] absent : new String[][] {{"6", "123"}, {"1", "125"}}) {
            Cli gone = Cli.run("history", "--spec", spec.toString(), "--format", "csv", "--as-of", absent[0], absent[1]);
            assertThat(gone.out()).as("key %s as of %s", absent[1], absent[0]).isEqualTo("userId,name,city\n");
        }
        Cli bad = Cli.run("query", "--spec", spec.toString(), "--as-of", "later", "SELECT * FROM users");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--as-of: cannot read 'later' as bigint, the type of the sequence column");
    }

    @Test
    void historyWithTheWrongNumberOfKeyValuesIsAUserError() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli history = Cli.run("history", "--spec", spec.toString(), "1", "2");
        assertThat(history.exitCode()).isEqualTo(2);
        assertThat(history.err()).contains("KEY:").contains("userId");
    }

    @Test
    void statusListsEverySection() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();
        Cli status = Cli.run("status", "--spec", spec.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("== Tables", "== Offsets", "== Load history", "== Rejects", "== Task history",
                "users_1.csv", "raw->history");
    }

    @Test
    void statusTotalsEachQualityCheckAndFilesShowsEachFilesFailures() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Files.writeString(spec, Files.readString(spec) + """
                checks:
                  - {name: not_tijuana, must: "city <> 'Tijuana'", on_fail: warn}
                  - {name: not_cancun, must: "city <> 'Cancun'", on_fail: drop}
                  - {name: known_user, must: "userId < 1000", on_fail: refuse}
                """);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();

        Cli status = Cli.run("status", "--spec", spec.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        String checks = status.out().substring(status.out().indexOf("== Checks"));
        assertThat(checks.lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.replaceAll("[\\s|]+", " ").strip()))
                .containsSubsequence("check on_fail warned dropped files_refused",
                        "not_tijuana warn 1 0 0", "not_cancun drop 0 1 0", "known_user refuse 0 0 0");
        assertThat(status.out()).contains("not_tijuana warned 1; not_cancun dropped 1");

        Cli files = Cli.run("files", "--spec", spec.toString(), "--format", "json");
        assertThat(files.exitCode()).as(files.err()).isZero();
        assertThat(files.out()).contains("\"check_failures\":\"[{\\\"check\\\":\\\"not_tijuana\\\",\\\"on_fail\\\":\\\"warn\\\",\\\"rows\\\":1}");
    }

    @Test
    void filesShowsTheLedgerFilteredAndPaged() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Path landing = spec.resolveSibling("landing");
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();
        Files.writeString(landing.resolve("users_2.csv"), "userId,name,city\n1,Ann\n");
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();

        Cli all = Cli.run("files", "--spec", spec.toString(), "--format", "csv");
        assertThat(all.exitCode()).as(all.err()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo(String.join(",", LedgerTable.COLUMNS));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("1,users_1.csv,").contains(",loaded,8,0,");
        assertThat(lines.get(2)).startsWith("2,users_2.csv,").contains(",refused,0,0,");

        assertThat(column(spec, "--status", "refused")).containsExactly("2");
        assertThat(column(spec, "--name", "users_1.csv")).containsExactly("1");
        assertThat(column(spec, "--latest", "--limit", "1")).containsExactly("2");
        assertThat(column(spec, "--after", "1")).containsExactly("2");
        assertThat(column(spec, "--under", landing.resolve("users_2").toString())).containsExactly("2");

        Cli bad = Cli.run("files", "--spec", spec.toString(), "--status", "done");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--status", "'done'");
    }

    /** The file ids {@code changepipe files} lists with these options. */
    private static List<String> column(Path spec, String... options) {
        List<String> args = new ArrayList<>(List.of("files", "--spec", spec.toString(), "--format", "csv"));
        args.addAll(List.of(options));
        Cli files = Cli.run(args.toArray(String[]::new));
        assertThat(files.exitCode()).as(files.err()).isZero();
        return files.out().lines().skip(1).map(line -> line.substring(0, line.indexOf(','))).toList();
    }

    @Test
    void aBadSpecFailsAtStartWithOneLineNamingTheField() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Files.writeString(spec, Files.readString(spec).replace("keys: [userId]", "keys: [user_id]"));
        Cli run = Cli.run("run", "--spec", spec.toString(), "--once");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("keys[0]: unknown column 'user_id'");
    }

    @Test
    void aFailingQueryIsAUserErrorAndChangesNothing() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();
        assertThat(Cli.run("query", "--spec", spec.toString(), "SELECT * FROM no_such_table").exitCode()).isEqualTo(2);
        Cli delete = Cli.run("query", "--spec", spec.toString(), "DELETE FROM users");
        assertThat(delete.exitCode()).isEqualTo(2);
        assertThat(delete.err()).contains("read-only");
        Cli count = Cli.run("query", "--spec", spec.toString(), "--format", "csv", "SELECT count(*) AS n FROM users");
        assertThat(count.out()).isEqualTo("n\n3\n");
    }

    @Test
    void unknownFormatNamesTheOption() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        Cli query = Cli.run("query", "--spec", spec.toString(), "--format", "xml", "SELECT 1");
        assertThat(query.exitCode()).isEqualTo(2);
        assertThat(query.err()).contains("--format");
    }

    @Test
    void feedReturnsTheChangesAfterAConsumersOffsetUntilItCommits() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        assertThat(Cli.run("run", "--spec", spec.toString(), "--once").exitCode()).isZero();
        String inserts = String.join("\n", "_commit_version,_change_type,userId,name,city",
                "1,insert,124,Raul,Oaxaca", "1,insert,125,Mercedes,Guadalajara", "1,insert,126,Lily,Cancun", "");
        String[] read = {"feed", "--spec", spec.toString(), "--consumer", "reports", "--format", "csv"};
        assertThat(Cli.run(read).out()).isEqualTo(inserts);
        assertThat(Cli.run(read).out()).as("not committed: the same changes again").isEqualTo(inserts);
        Cli committed = Cli.run(concat(read, "--commit"));
        assertThat(committed.out()).isEqualTo(inserts);
        assertThat(committed.err()).contains("versions 1..1 (committed)");
        Cli after = Cli.run(read);
        assertThat(after.out()).isEqualTo("_commit_version,_change_type,userId,name,city\n");
        assertThat(after.err()).contains("nothing new");
        assertThat(Cli.run("feed", "--spec", spec.toString(), "--consumer", "other", "--format", "csv").out())
                .as("consumers are independent").isEqualTo(inserts);
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
