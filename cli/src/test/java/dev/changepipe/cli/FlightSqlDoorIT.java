package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.cli.door.SqlDoor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL door of a real {@code changepipe run} (child JVM, embedded DuckDB), reached with a client nobody here wrote:
 * Apache Arrow's Flight SQL JDBC driver from Maven Central, as DBeaver and other JDBC tools load it.
 */
class FlightSqlDoorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process running;

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.isAlive()) {
            running.destroy();
            running.waitFor();
        }
    }

    @Test
    void aJdbcClientReadsTheLiveTablesThroughTheDoor() throws Exception {
        Path spec = UsersExample.copyTo(dir);
        running = start("run", "--spec", spec.toString());
        Path warehouse = dir.resolve("warehouse");
        Path address = warehouse.resolve(SqlDoor.ADDRESS_FILE);
        await(() -> Files.exists(address));
        JsonNode door = JSON.readTree(address.toFile());
        assertThat(door.get("host").asText()).isEqualTo("127.0.0.1");
        Path tokenFile = warehouse.resolve(SqlDoor.TOKEN_FILE);
        assertThat(Files.getPosixFilePermissions(tokenFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String token = Files.readString(tokenFile).strip();
        String url = "jdbc:arrow-flight-sql://127.0.0.1:" + door.get("port").asInt() + "?useEncryption=false";
        assertThat(door.get("url").asText()).isEqualTo(url);
        await(() -> Files.readString(dir.resolve("run.log")).contains("sql door:  " + url));
        assertThat(Files.readString(dir.resolve("run.log"))).as("the token is never printed").doesNotContain(token);

        try (Connection connection = DriverManager.getConnection(url + "&token=" + token)) {
            await(() -> count(connection, "users") == 3);

            // Files landing while the client is connected: the counts it reads grow with them.
            land("users_2.csv", "127,Ana,Lima,INSERT,9\n");
            await(() -> count(connection, "users") == 4 && count(connection, "users_history") == 8);
            land("users_3.csv", "128,Bo,Oslo,INSERT,10\n129,Cy,Pune,INSERT,10\n");
            await(() -> count(connection, "users") == 6);

            // The values match what `changepipe query` prints for the same statement.
            String sql = "SELECT userId, name, city FROM users ORDER BY userId";
            Cli query = Cli.run("query", "--spec", spec.toString(), "--format", "csv", sql);
            assertThat(query.exitCode()).as(query.err()).isZero();
            List<String> expected = query.out().lines().skip(1).toList();
            assertThat(csv(connection, sql)).isEqualTo(expected).hasSize(6);

            // What a catalog browser asks for: the pipeline's tables, and their columns.
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("users", "users_history", "users_raw", "users_raw_rejects", "users_changes");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getColumns(null, null, "users", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns).contains("userId", "name", "city");

            // Writes are refused, and nothing changes whichever way they come in.
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM users")).isInstanceOf(SQLException.class);
                try {
                    statement.execute("DELETE FROM users");
                } catch (SQLException refused) {
                    // Refused is right; so is a rolled-back run that leaves the table as it was.
                }
            }
            assertThat(count(connection, "users")).as("rows after the writes").isEqualTo(6);
            assertThatThrownBy(() -> count(connection, "no_such_table")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no_such_table");
        }

        // User and password: Flight's basic handshake, which answers with the bearer token.
        Properties login = new Properties();
        login.setProperty("user", "changepipe");
        login.setProperty("password", token);
        try (Connection connection = DriverManager.getConnection(url, login)) {
            assertThat(count(connection, "users")).isEqualTo(6);
        }

        // A wrong or a missing secret is refused.
        assertThatThrownBy(() -> count(DriverManager.getConnection(url + "&token=" + token + "x"), "users"))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> count(DriverManager.getConnection(url), "users")).isInstanceOf(SQLException.class);
        Properties wrong = new Properties();
        wrong.setProperty("user", "changepipe");
        wrong.setProperty("password", "guess");
        assertThatThrownBy(() -> count(DriverManager.getConnection(url, wrong), "users")).isInstanceOf(SQLException.class);

        running.destroy();
        assertThat(running.waitFor()).isIn(0, 143);
        assertThat(address).as("the door's address goes with the pipeline").doesNotExist();
    }

    @Test
    void aDoorBeyondLoopbackNeedsTheOptInAndTls() {
        Path spec;
        try {
            spec = UsersExample.copyTo(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Cli open = Cli.run("run", "--spec", spec.toString(), "--sql-door-bind", "0.0.0.0");
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.err()).contains("--sql-door-remote");
        Cli clear = Cli.run("run", "--spec", spec.toString(), "--sql-door-bind", "0.0.0.0", "--sql-door-remote");
        assertThat(clear.exitCode()).isEqualTo(2);
        assertThat(clear.err()).contains("--sql-door-tls-cert").contains("--sql-door-tls-key");
        assertThat(dir.resolve("warehouse")).as("nothing was opened").doesNotExist();
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> csv(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                lines.add(rs.getLong(1) + "," + rs.getString(2) + "," + rs.getString(3));
            }
        }
        return lines;
    }

    private void land(String name, String rows) throws IOException {
        Path temp = dir.resolve("landing/." + name + ".tmp");
        Files.writeString(temp, "userId,name,city,operation,sequenceNum\n" + rows);
        Files.move(temp, dir.resolve("landing").resolve(name));
    }

    private Process start(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = JavaCommand.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp", classpath, Changepipe.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private void await(Check condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            boolean holds;
            try {
                holds = condition.holds();
            } catch (SQLException e) {
                holds = false;
            }
            if (holds) {
                return;
            }
            if (Instant.now().isAfter(deadline) || !running.isAlive()) {
                throw new AssertionError("condition not met; pipeline log:\n" + Files.readString(dir.resolve("run.log")));
            }
            Thread.sleep(100);
        }
    }
}
