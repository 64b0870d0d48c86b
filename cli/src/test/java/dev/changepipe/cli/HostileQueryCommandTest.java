package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.dashboard.LivePipeline;
import dev.changepipe.cli.door.DoorOptions;
import dev.changepipe.cli.door.SqlDoor;
import dev.changepipe.conformance.HostileQueries;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-query corpus through the command line's entry points on the embedded engine: {@code changepipe query}
 * opening the warehouse itself, {@code changepipe query} sent to a running pipeline's query endpoint, and the SQL
 * door reached with Apache Arrow's Flight SQL JDBC driver. Each statement to be refused exits with the user-error
 * code (through the door: fails with an {@link SQLException}) and writes, reads or attaches nothing; the ordinary
 * reads answer; the tables are as before. (The engines' own entry point, {@code Engine.query}, runs the corpus in the
 * conformance suites, Spark's included.)
 */
class HostileQueryCommandTest {
    @TempDir
    Path dir;

    @Test
    void theCorpusChangesNothingThroughQueryOnTheFileTheQueryEndpointAndTheSqlDoor() throws Exception {
        Path specFile = UsersExample.copyTo(dir);
        PipelineSpec spec = SpecLoader.load(specFile);
        HostileQueries.Corpus corpus = HostileQueries.Corpus.around(dir, spec.engine().path(), spec);
        List<HostileQueries.Query> queries = HostileQueries.of("duckdb");
        Object before;
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
                new PipelineRunner(spec, engine, landing, Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();
            }
            before = state(engine);
        }
        Set<String> filesBefore = corpus.filesOutsideTheWarehouse(dir);

        SoftAssertions softly = new SoftAssertions();
        // No pipeline runs: each query opens the warehouse file itself.
        runCorpus(softly, "on the file", specFile, corpus, queries);
        try (Engine engine = Engines.open(spec)) {
            softly.assertThat(state(engine)).as("the tables after the corpus on the file").isEqualTo(before);
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live)) {
                // Now the same command goes to the running pipeline's endpoint, which its file announces.
                assertThat(EndpointFile.read(spec.engine().path())).isPresent();
                runCorpus(softly, "through the endpoint", specFile, corpus, queries);
            }
            try (SqlDoor door = SqlDoor.start(spec.engine().path(), engine, spec, DoorOptions.loopback(0));
                    Connection client = DriverManager.getConnection(
                            door.jdbcUrl() + "&token=" + Files.readString(door.tokenFile()).strip())) {
                runCorpusThroughTheDoor(softly, client, corpus, queries);
            }
            softly.assertThat(state(engine)).as("the tables after the corpus through the SQL door").isEqualTo(before);
            softly.assertThat(state(engine)).as("the tables after the corpus through the endpoint").isEqualTo(before);
        }
        softly.assertThat(corpus.filesOutsideTheWarehouse(dir)).as("the files outside the warehouse").isEqualTo(filesBefore);
        softly.assertAll();
    }

    private static void runCorpus(SoftAssertions softly, String how, Path specFile, HostileQueries.Corpus corpus,
            List<HostileQueries.Query> queries) {
        for (HostileQueries.Query query : queries) {
            Map<String, String> values = corpus.values(query.line());
            Cli cli = Cli.run("query", "--spec", specFile.toString(), "--format", "csv", query.sql(values));
            switch (query.expected()) {
                case REFUSED -> softly.assertThat(cli.exitCode()).as("exit code of %s %s: %s", query, how, cli.err())
                        .isEqualTo(Changepipe.USER_ERROR_EXIT);
                case NO_SECRET -> softly.assertThat(cli.exitCode()).as("exit code of %s %s: %s", query, how, cli.err())
                        .isIn(0, Changepipe.USER_ERROR_EXIT);
                case READS -> softly.assertThat(cli.exitCode()).as("exit code of %s %s: %s", query, how, cli.err())
                        .isZero();
            }
            softly.assertThat(cli.out() + cli.err()).as("what %s prints %s", query, how).doesNotContain(corpus.secret());
            softly.assertThat(Path.of(values.get("target"))).as("what %s writes %s", query, how).doesNotExist();
            softly.assertThat(Path.of(values.get("other"))).as("what %s attaches %s", query, how).doesNotExist();
        }
    }

    private static void runCorpusThroughTheDoor(SoftAssertions softly, Connection client, HostileQueries.Corpus corpus,
            List<HostileQueries.Query> queries) {
        for (HostileQueries.Query query : queries) {
            Map<String, String> values = corpus.values(query.line());
            String answer;
            boolean answered;
            try (Statement statement = client.createStatement(); ResultSet rows = statement.executeQuery(query.sql(values))) {
                StringBuilder text = new StringBuilder();
                while (rows.next()) {
                    for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                        text.append(rows.getString(column)).append(',');
                    }
                }
                answer = text.toString();
                answered = true;
            } catch (SQLException refused) {
                answer = String.valueOf(refused.getMessage());
                answered = false;
            }
            switch (query.expected()) {
                case REFUSED -> softly.assertThat(answered).as("%s answered through the SQL door: %s", query, answer).isFalse();
                case READS -> softly.assertThat(answered).as("%s through the SQL door: %s", query, answer).isTrue();
                case NO_SECRET -> { }
            }
            softly.assertThat(answer).as("what %s returns through the SQL door", query).doesNotContain(corpus.secret());
            softly.assertThat(Path.of(values.get("target"))).as("what %s writes through the SQL door", query).doesNotExist();
            softly.assertThat(Path.of(values.get("other"))).as("what %s attaches through the SQL door", query).doesNotExist();
        }
    }

    private static Object state(Engine engine) {
        return List.of(engine.rowCounts(), engine.ledger(LedgerQuery.all()), engine.offsets());
    }
}
