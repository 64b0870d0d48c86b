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

    private static String csv(String spec, String sql) {
        Cli cli = Cli.run("query", "--spec", spec, "--format", "csv", sql);
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        return cli.out().lines().skip(1).findFirst().orElseThrow();
    }
}
