package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.ledger.FileStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsForAFewSecondsAndLeavesConsistentTables() {
        Path demo = dir.resolve("demo");
        Cli cli = Cli.run("demo", "--dir", demo.toString(), "--seconds", "3", "--rows", "200");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Landing -> history lag over 3 files", "Try:");

        String spec = demo.resolve("pipeline.yaml").toString();
        assertThat(WarehouseTables.files(Path.of(spec), FileStatus.LOADED, FileStatus.LOADED_WITH_REJECTS)).isEqualTo(3);
        // Every generated row is accounted for: loaded into raw or kept in rejects.
        assertThat(csv(spec, "SELECT (SELECT count(*) FROM customer_raw) + (SELECT count(*) FROM customer_raw_rejects)"))
                .isEqualTo("600");
        // The current table equals the current rows of the history table.
        String current = "SELECT customer_id, first_name, last_name, email, street, city, state, country, update_timestamp";
        assertThat(csv(spec, "SELECT count(*) FROM (" + current + " FROM customer EXCEPT " + current
                + " FROM customer_history WHERE is_current)")).isEqualTo("0");
        assertThat(csv(spec, "SELECT count(*) FROM (" + current + " FROM customer_history WHERE is_current EXCEPT "
                + current + " FROM customer)")).isEqualTo("0");
        assertThat(Long.parseLong(csv(spec, "SELECT count(*) FROM customer_history WHERE NOT is_current"))).isPositive();
        assertThat(Long.parseLong(csv(spec, "SELECT count(*) FROM customer"))).isPositive();
    }

    @Test
    void withSnapshotsACustomerTheDumpsStopListingIsDeletedAtTheFirstDumpWithoutIt() {
        Path demo = dir.resolve("snapshots");
        Cli cli = Cli.run("demo", "--snapshot", "--dir", demo.toString(), "--seconds", "4", "--rows", "200");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Landing -> history lag over 4 files", "Customers the dumps stopped listing", "Try:");

        String spec = demo.resolve("pipeline.yaml").toString();
        assertThat(WarehouseTables.files(Path.of(spec), FileStatus.LOADED)).isEqualTo(4);
        assertThat(csv(spec, "SELECT count(*) FROM customer_raw")).isEqualTo("800");
        // 2% of 200 leave between two dumps and as many join: the latest dump's 200 are the current table.
        assertThat(csv(spec, "SELECT count(*) FROM customer")).isEqualTo("200");
        String latest = "(SELECT max(_file_id) FROM customer_raw)";
        assertThat(csv(spec, "SELECT count(*) FROM (SELECT customer_id FROM customer EXCEPT SELECT customer_id FROM"
                + " customer_raw WHERE _file_id = " + latest + ")")).isEqualTo("0");
        // Three times four left, each with its version closed at the ingestion time of the first dump without it.
        assertThat(csv(spec, "SELECT count(DISTINCT customer_id) FROM customer_history h WHERE NOT is_current AND customer_id NOT IN"
                + " (SELECT customer_id FROM customer) AND end_time IN (SELECT DISTINCT _ingested_at FROM customer_raw)"))
                .isEqualTo("12");
        // The feed has a delete for each that the current table held when its run began (two dumps may share a run).
        assertThat(Long.parseLong(csv(spec, "SELECT count(*) FROM customer_changes WHERE _change_type = 'delete'")))
                .isBetween(1L, 12L);
    }

    private static String csv(String spec, String sql) {
        Cli cli = Cli.run("query", "--spec", spec, "--format", "csv", sql);
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        return cli.out().lines().skip(1).findFirst().orElseThrow();
    }
}
