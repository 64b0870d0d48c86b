package dev.changepipe.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage format of the warehouse file: what a new one gets, and the one-time rewrite of a newer one. */
class WarehouseFormatTest {
    private static final String SPEC = """
            name: users
            landing: landing
            engine: {type: duckdb, path: warehouse}
            columns: {userId: bigint, name: varchar, sequenceNum: bigint}
            keys: [userId]
            sequence_by: sequenceNum
            """;

    @TempDir
    Path dir;

    private PipelineSpec spec() throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, SPEC);
        return SpecLoader.load(file);
    }

    private Path file() {
        return dir.resolve("warehouse").resolve(DuckDbEngine.DATABASE_FILE);
    }

    private static String storageTag(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A warehouse with one table of three rows in DuckDB 2.0's default format, as the engine wrote it before. */
    private void v2Warehouse() throws Exception {
        Files.createDirectories(file().getParent());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id BIGINT NOT NULL, name VARCHAR CHECK (name <> 'Boom'))");
            s.execute("INSERT INTO kept VALUES (1, 'a'), (2, NULL), (2, NULL)");
        }
    }

    private static List<Object> keptRows(Engine engine) {
        return engine.query("SELECT count(*), count(DISTINCT id), count(name) FROM kept", List.of()).rows().get(0);
    }

    @Test
    void aNewWarehouseIsWrittenInV1AndKeepsThatFormatOnceTheEngineHasWrittenToIt() throws Exception {
        try (Engine engine = Engines.open(spec())) {
            engine.prepare();
            engine.query("SELECT 1", List.of());
        }
        assertThat(StorageVersion.of(file())).contains(StorageVersion.OLDEST_READABLE);
        assertThat(storageTag(file())).isEqualTo("v1.0.0+");
    }

    @Test
    void aV2WarehouseIsRewrittenOnceWithItsConstraintsAndRowsAndTheOriginalKept() throws Exception {
        v2Warehouse();
        assertThat(StorageVersion.of(file()).orElseThrow().readableByEveryClient()).isFalse();
        try (Engine engine = Engines.open(spec())) {
            assertThat(keptRows(engine)).containsExactly(3L, 2L, 1L);
            assertThat(engine.query("SELECT constraint_text FROM duckdb_constraints() WHERE constraint_type = 'CHECK'",
                    List.of()).rows()).singleElement().asString().contains("Boom");
        }
        Path backup = file().resolveSibling("warehouse.duckdb.backup-v2.0.0");
        assertThat(StorageVersion.of(file())).contains(StorageVersion.OLDEST_READABLE);
        assertThat(StorageVersion.of(backup).orElseThrow().readableByEveryClient()).isFalse();
        long backupBytes = Files.size(backup);
        try (Engine engine = Engines.open(spec())) {
            assertThat(keptRows(engine)).containsExactly(3L, 2L, 1L);
        }
        assertThat(Files.size(backup)).as("a second open leaves the backup alone").isEqualTo(backupBytes);
        assertThat(Files.list(file().getParent()).map(p -> p.getFileName().toString()))
                .doesNotContain("warehouse.duckdb.backup-v2.0.0-2", "warehouse.duckdb" + WarehouseFormat.COPY_SUFFIX);
    }

    /**
     * What a crash leaves: before the rename, a half-written copy, and the original under both its name and the
     * backup's (the link made just before the rename); the next open starts over from the original.
     */
    @Test
    void aRewriteInterruptedBeforeTheRenameIsStartedOverFromTheOriginal() throws Exception {
        v2Warehouse();
        Path copy = file().resolveSibling("warehouse.duckdb" + WarehouseFormat.COPY_SUFFIX);
        Files.writeString(copy, "half a database");
        Path backup = file().resolveSibling("warehouse.duckdb.backup-v2.0.0");
        Files.createLink(backup, file());
        try (Engine engine = Engines.open(spec())) {
            assertThat(keptRows(engine)).containsExactly(3L, 2L, 1L);
        }
        assertThat(StorageVersion.of(file())).contains(StorageVersion.OLDEST_READABLE);
        assertThat(copy).doesNotExist();
        assertThat(StorageVersion.of(backup).orElseThrow().readableByEveryClient()).isFalse();
        assertThat(file().resolveSibling("warehouse.duckdb.backup-v2.0.0-2")).doesNotExist();
    }

    @Test
    void anEarlierBackupIsNeverOverwritten() throws Exception {
        v2Warehouse();
        Path earlier = file().resolveSibling("warehouse.duckdb.backup-v2.0.0");
        Files.writeString(earlier, "an earlier backup");
        try (Engine engine = Engines.open(spec())) {
            assertThat(keptRows(engine)).containsExactly(3L, 2L, 1L);
        }
        assertThat(earlier).hasContent("an earlier backup");
        assertThat(StorageVersion.of(file().resolveSibling("warehouse.duckdb.backup-v2.0.0-2")).orElseThrow()
                .readableByEveryClient()).isFalse();
    }

    @Test
    void aFileThatIsNoDuckDbFileHasNoStorageVersion() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.duckdb"));
        Path text = Files.writeString(dir.resolve("text.duckdb"), "this is not a database at all");
        assertThat(StorageVersion.of(empty)).isEmpty();
        assertThat(StorageVersion.of(text)).isEmpty();
        assertThat(StorageVersion.of(dir.resolve("missing.duckdb"))).isEmpty();
    }
}
