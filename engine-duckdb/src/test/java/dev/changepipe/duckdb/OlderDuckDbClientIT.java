package dev.changepipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A finished warehouse opened by a stock DuckDB 1.x client (Maven Central's {@code duckdb_jdbc}, in a child JVM
 * whose class path is that jar alone), which must read every table exactly as the engine's DuckDB does; and a
 * warehouse in DuckDB 2.0's own format, which the engine rewrites once so that such a client can.
 */
class OlderDuckDbClientIT {
    private static final String SPEC = """
            name: orders
            landing: landing
            engine: {type: duckdb, path: warehouse}
            columns: {id: bigint, qty: integer, price: decimal, weight: double, item: varchar, paid: boolean,
                      due: date, placed: timestamp, seen: timestamptz, op: varchar, seq: bigint}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op]
            """;
    private static final String HEADER = "id,qty,price,weight,item,paid,due,placed,seen,op,seq\n";
    /** Inserts; updates (history versions, change feed); a delete; a row that does not parse (a reject). */
    private static final List<String> FILES = List.of(
            HEADER + """
                    1,3,9.99,1.5,apple,true,2024-01-31,2024-01-01 10:00:00,2024-01-01T10:00:00Z,I,1
                    2,1,120.5,0.25,pear,false,2024-02-29,2024-01-02 11:30:00,2024-01-02T11:30:00+02:00,I,1
                    3,7,0.001,,"plum, red",,2024-03-01,2024-01-03 00:00:00,2024-01-03T00:00:00Z,I,1
                    """,
            HEADER + """
                    1,4,9.49,1.5,apple,true,2024-01-31,2024-01-01 10:00:00,2024-01-05T08:00:00Z,U,2
                    2,1,120.5,0.25,pear,false,2024-02-29,2024-01-02 11:30:00,2024-01-02T11:30:00Z,D,2
                    4,not-a-number,1,1,fig,true,2024-04-01,2024-01-04 00:00:00,2024-01-04T00:00:00Z,I,1
                    """,
            HEADER + """
                    1,5,8.99,1.5,apple,true,2024-01-31,2024-01-01 10:00:00,2024-01-06T08:00:00Z,U,3
                    5,2,3.5,2.0,kiwi,true,2024-05-01,2024-01-05 00:00:00,2024-01-05T00:00:00Z,I,1
                    """);
    private static final List<String> TABLES = List.of("changepipe.files", "changepipe.offsets", "changepipe.task_history",
            "main.orders", "main.orders_changes", "main.orders_history", "main.orders_raw", "main.orders_raw_rejects");

    @TempDir
    Path dir;
    private Path jar;
    private int landed;

    @BeforeEach
    void oldClient() {
        jar = Path.of(System.getProperty("changepipe.old.duckdb.jar", "target/old-duckdb-client/missing.jar"));
        assertThat(jar).as("the build copies the old DuckDB client here (maven-dependency-plugin)").isRegularFile();
    }

    @Test
    void aStockDuckDb15ClientReadsEveryTableOfAFinishedWarehouseAsTheEngineDoes() throws Exception {
        PipelineSpec spec = spec();
        Path file = warehouseFile();
        for (String content : FILES) {
            landAndRun(spec, content);
        }
        assertThat(StorageVersion.of(file)).contains(StorageVersion.OLDEST_READABLE);

        List<String> engineReads = digests(file);
        assertThat(engineReads).extracting(line -> line.substring(0, line.indexOf(' '))).containsExactlyElementsOf(TABLES);
        assertThat(engineReads).anySatisfy(line -> assertThat(line).startsWith("main.orders_raw_rejects ").contains(" rows=1 "))
                .anySatisfy(line -> assertThat(line).startsWith("main.orders_history ").contains(" rows=6 "))
                .anySatisfy(line -> assertThat(line).startsWith("changepipe.files ").contains(" rows=3 "));
        ChildRun child = readWithOldClient(file);
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.lines()).containsExactlyElementsOf(engineReads);
    }

    @Test
    void aWarehouseInDuckDb20sFormatIsRewrittenOnceKeepsItsOriginalAndGoesOnLoading() throws Exception {
        PipelineSpec spec = spec();
        Path file = warehouseFile();
        landAndRun(spec, FILES.get(0));
        landAndRun(spec, FILES.get(1));
        inDuckDb20sOwnFormat(file);
        StorageVersion before = StorageVersion.of(file).orElseThrow();
        assertThat(before.readableByEveryClient()).as("storage version %s", before.number()).isFalse();
        ChildRun refused = readWithOldClient(file);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("version number");
        List<String> original = digests(file);

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(WarehouseFormat.class);
        logger.addAppender(log);
        try (Engine engine = Engines.open(spec)) {
            assertThat(engine.rowCounts().history()).isEqualTo(4);
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains("storage format v2.0.0+", "rewrote its 8 tables in format v1.0.0", "warehouse.duckdb.backup-v2.0.0"));
        Path backup = file.resolveSibling("warehouse.duckdb.backup-v2.0.0");
        assertThat(StorageVersion.of(backup)).contains(before);
        assertThat(digests(backup)).isEqualTo(original);
        assertThat(StorageVersion.of(file)).contains(StorageVersion.OLDEST_READABLE);
        assertThat(file.resolveSibling("warehouse.duckdb" + WarehouseFormat.COPY_SUFFIX)).doesNotExist();
        assertThat(digests(file)).isEqualTo(original);
        ChildRun migrated = readWithOldClient(file);
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(migrated.lines()).isEqualTo(original);

        landAndRun(spec, FILES.get(2));
        assertThat(StorageVersion.of(file)).contains(StorageVersion.OLDEST_READABLE);
        List<String> loaded = digests(file);
        assertThat(loaded).anySatisfy(line -> assertThat(line).startsWith("changepipe.files ").contains(" rows=3 "))
                .anySatisfy(line -> assertThat(line).startsWith("main.orders_history ").contains(" rows=6 "));
        assertThat(readWithOldClient(file).lines()).isEqualTo(loaded);
        assertThat(digests(backup)).as("the original is not written again").isEqualTo(original);
    }

    private PipelineSpec spec() throws IOException {
        Path yaml = dir.resolve("pipeline.yaml");
        Files.writeString(yaml, SPEC);
        return SpecLoader.load(yaml);
    }

    private Path warehouseFile() {
        return dir.resolve("warehouse").resolve(DuckDbEngine.DATABASE_FILE);
    }

    /** One file landed and the pipeline run until idle, by the engine as {@code changepipe run} drives it. */
    private void landAndRun(PipelineSpec spec, String content) throws Exception {
        Path landing = dir.resolve("landing");
        Files.createDirectories(landing);
        Path csv = landing.resolve("orders_" + (++landed) + ".csv");
        Files.writeString(csv, content);
        Files.setLastModifiedTime(csv, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60 - landed)));
        try (Engine engine = Engines.open(spec);
                LandingFolder folder = new LandingFolder(spec.landing(), spec.pattern(), Duration.ZERO, Clock.systemUTC())) {
            engine.prepare();
            new PipelineRunner(spec, engine, folder, Clock.systemUTC(), PipelineListener.NONE).runUntilIdle();
        }
    }

    /** The file as the engine wrote it before it chose a format: DuckDB 2.0's default, v2.0.0. */
    private static void inDuckDb20sOwnFormat(Path file) throws Exception {
        Path rewritten = file.resolveSibling("rewritten.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            try (PreparedStatement attach = connection.prepareStatement("ATTACH ? AS rewritten (STORAGE_VERSION 'v2.0.0')")) {
                attach.setString(1, rewritten.toString());
                attach.execute();
            }
            statement.execute("COPY FROM DATABASE warehouse TO rewritten");
            statement.execute("DETACH rewritten");
        }
        Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the engine's DuckDB (2.0) reads, with the same program the child runs. */
    private static List<String> digests(Path file) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, settings)) {
            return TableDigests.of(connection);
        }
    }

    private record ChildRun(int exitCode, String output, List<String> lines) {}

    /** {@link TableDigests} as a single-file program, its class path the stock 1.x jar and nothing else. */
    private ChildRun readWithOldClient(Path file) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path program = Path.of("src/test/java/dev/changepipe/duckdb/TableDigests.java");
        Path out = dir.resolve("child-" + System.nanoTime() + ".txt");
        Process process = new ProcessBuilder(java.toString(), "-cp", jar.toString(), program.toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the child finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        List<String> lines = output.lines().toList();
        if (process.exitValue() == 0) {
            assertThat(lines.get(0)).as("the child's DuckDB").isEqualTo(TableDigests.VERSION_LINE + "v"
                    + System.getProperty("changepipe.old.duckdb.version", "1.5.6.0").replaceFirst("\\.\\d+$", ""));
            lines = lines.subList(1, lines.size());
        }
        return new ChildRun(process.exitValue(), output, lines);
    }
}
