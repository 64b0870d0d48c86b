package dev.changepipe.duckdb;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Identifier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warehouse file in a storage format DuckDB 1.x clients open ({@link StorageVersion#WRITTEN}).
 *
 * <p>A missing file is created in that format; DuckDB then keeps writing an existing file in the format it
 * has. A file in a newer format (DuckDB 2.0's default, which the engine wrote before) is rewritten once: a
 * copy beside it ({@code COPY FROM DATABASE} into a database attached with {@code STORAGE_VERSION}), compared
 * table by table with the original (definition, row count and a checksum of every row), and only then put in
 * its place by one atomic rename. The original stays beside it as {@code warehouse.duckdb.backup-<format>}.
 * A crash at any moment leaves the original under its name (the next open starts over) or the verified copy.
 */
final class WarehouseFormat {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseFormat.class);
    static final String COPY_SUFFIX = ".migrating";
    static final String BACKUP_SUFFIX = ".backup-";
    /** The alias of the copy inside the migrating connection. */
    private static final String COPY = "cp_migrated";

    private WarehouseFormat() {}

    /**
     * Makes {@code file} a warehouse older clients open, before the engine connects to it.
     *
     * @param memoryLimit DuckDB's memory limit for the copy, already checked by the factory
     * @throws SQLException when DuckDB cannot open the file, such as when another process holds it
     */
    static void prepare(Path file, String memoryLimit) throws SQLException {
        Optional<StorageVersion> version;
        try {
            if (!Files.exists(file)) {
                create(file);
                return;
            }
            version = StorageVersion.of(file);
        } catch (IOException e) {
            throw ChangepipeException.external("cannot read the header of warehouse " + file + ": " + e.getMessage(), e);
        }
        if (version.isPresent() && !version.get().readableByEveryClient()) {
            // Connected to the file itself: DuckDB's lock keeps every other process out until the end (and a
            // held lock fails the open as any other would), and what the copy spills goes where the engine's
            // own spills go (warehouse.duckdb.tmp).
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file)) {
                migrate(connection, file, memoryLimit);
            }
        }
    }

    /** A new, empty file in the written format: DuckDB fixes a file's format when it creates it. */
    private static void create(Path file) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("storage_compatibility_version", StorageVersion.WRITTEN);
        DriverManager.getConnection("jdbc:duckdb:" + file, settings).close();
    }

    /**
     * Copies, checks and swaps; a copy that fails or differs leaves the warehouse as it was, working, and is
     * reported as a warning rather than stopping the pipeline (the next open tries again).
     */
    private static void migrate(Connection connection, Path file, String memoryLimit) throws SQLException {
        long started = System.nanoTime();
        Path copy = sibling(file, COPY_SUFFIX);
        String format = "newer than " + StorageVersion.WRITTEN;
        try {
            // What a crash during an earlier attempt left; that attempt had not put anything in place.
            Files.deleteIfExists(copy);
            Files.deleteIfExists(sibling(copy, ".wal"));
            execute(connection, "SET memory_limit = '" + memoryLimit + "'");
            // The log into the file, so that the file alone holds the warehouse when it is set aside.
            execute(connection, "CHECKPOINT");
            String original = Identifier.quote(text(connection, "SELECT current_database()"));
            format = text(connection, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()");
            int tables = copy(connection, original, copy);
            if (Files.exists(sibling(file, ".wal")) || Files.exists(sibling(copy, ".wal"))) {
                // DuckDB would replay a log left beside the file onto the copy once it bears the file's name.
                throw new IOException("a write-ahead log remained after the last checkpoint");
            }
            if (!StorageVersion.of(copy).map(StorageVersion::readableByEveryClient).orElse(false)) {
                throw new IOException("the copy's header is not in format " + StorageVersion.WRITTEN);
            }
            Path backup = backupPath(file, format);
            keep(file, backup);
            try {
                // Still connected, so that no other process opens the original between its last checkpoint and
                // the rename; DuckDB then closes the original under its new name (the backup) and writes nothing.
                Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException open) {
                // Windows renames nothing over a file that is open.
                connection.close();
                Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE);
            }
            syncFolder(file.getParent());
            LOG.info("warehouse {} was in DuckDB storage format {}, which DuckDB 1.x clients cannot open: rewrote its {}"
                    + " tables in format {} and checked them in {} ms; the original is kept as {} and may be deleted",
                    file, format, tables, StorageVersion.WRITTEN, (System.nanoTime() - started) / 1_000_000,
                    backup.getFileName());
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // The next attempt deletes it first.
            }
            LOG.warn("warehouse {} stays in DuckDB storage format {}, which DuckDB 1.x clients cannot open: rewriting it"
                    + " in format {} failed: {}", file, format, StorageVersion.WRITTEN,
                    ChangepipeException.firstLine(e.getMessage()));
            LOG.debug("rewriting warehouse {} failed", file, e);
        }
    }

    /** The original copied into a file of the written format and compared with it; the number of tables. */
    private static int copy(Connection connection, String original, Path copy) throws SQLException {
        execute(connection, "ATTACH ? AS " + COPY + " (STORAGE_VERSION '" + StorageVersion.WRITTEN + "')", copy.toString());
        try {
            execute(connection, "COPY FROM DATABASE " + original + " TO " + COPY);
            List<TableDigest> before = digests(connection, original);
            List<TableDigest> after = digests(connection, COPY);
            if (!before.equals(after)) {
                throw new SQLException("the copy differs from the original: " + firstDifference(before, after));
            }
            execute(connection, "CHECKPOINT " + COPY);
            return before.size();
        } finally {
            execute(connection, "DETACH " + COPY);
        }
    }

    /** A second name for the original (a hard link costs no space), which keeps it once the copy takes its name. */
    private static void keep(Path file, Path backup) throws IOException {
        try {
            Files.createLink(backup, file);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /**
     * {@code warehouse.duckdb.backup-v2.0.0}; a name the original itself holds (a crash between the link and the
     * rename) is taken again, any other file is never overwritten.
     */
    private static Path backupPath(Path file, String format) throws IOException {
        String base = file.getFileName() + BACKUP_SUFFIX + format.replaceAll("[^A-Za-z0-9.]", "");
        Path backup = file.resolveSibling(base);
        for (int n = 2; Files.exists(backup); n++) {
            if (Files.isSameFile(backup, file)) {
                Files.delete(backup);
                break;
            }
            backup = file.resolveSibling(base + "-" + n);
        }
        return backup;
    }

    /** So that the rename outlives a power cut; folders cannot be opened for this on every system (Windows). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("could not sync folder {}: {}", folder, e.getMessage());
        }
    }

    /** What must be equal in the original and the copy: a table's definition, its row count, a checksum of its rows. */
    record TableDigest(String schema, String table, String definition, long rows, String checksum) {}

    private static List<TableDigest> digests(Connection connection, String database) throws SQLException {
        List<TableDigest> digests = new ArrayList<>();
        try (PreparedStatement tables = connection.prepareStatement("""
                SELECT schema_name, table_name, sql FROM duckdb_tables()
                WHERE database_name = ? AND NOT temporary ORDER BY schema_name, table_name""")) {
            tables.setString(1, unquoted(database));
            try (ResultSet rs = tables.executeQuery()) {
                while (rs.next()) {
                    digests.add(digest(connection, database, rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return digests;
    }

    /** Rows summed by their hash: the same rows in any order give the same sum, and a duplicated row counts twice. */
    private static TableDigest digest(Connection connection, String database, String schema, String table, String definition)
            throws SQLException {
        String name = database + "." + Identifier.quote(schema) + "." + Identifier.quote(table);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*), coalesce(sum(hash(r)::HUGEINT), 0)::VARCHAR FROM " + name + " AS r");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new TableDigest(schema, table, definition, rs.getLong(1), rs.getString(2));
        }
    }

    private static String firstDifference(List<TableDigest> before, List<TableDigest> after) {
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            if (!before.get(i).equals(after.get(i))) {
                return "original " + before.get(i) + ", copy " + after.get(i);
            }
        }
        return before.size() + " tables in the original, " + after.size() + " in the copy";
    }

    private static String unquoted(String database) {
        return database.startsWith("\"") ? database.substring(1, database.length() - 1) : database;
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Jdbc.bind(statement, List.of(values));
            statement.execute();
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
