package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.conformance.AutoCdcExampleConformanceTest;
import dev.changepipe.conformance.ConformanceSuite;
import dev.changepipe.conformance.Processing;
import dev.changepipe.conformance.Scenario;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real standalone Spark cluster on loopback: one master and two workers started
 * as separate JVMs from the jars Maven brought (no Spark download), the test JVM as the driver with
 * {@code master: spark://127.0.0.1:PORT}, executors started by the workers. The documented AUTO CDC
 * example must give its documented tables, and every process the test started must be gone after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT extends ConformanceSuite {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Static: a field is given its folder only when a test runs, after {@code @BeforeAll} started the cluster. */
    @TempDir
    static Path clusterDir;

    private final List<Process> started = new ArrayList<>();
    private Path sparkHome;
    private int masterPort;
    private int masterUiPort;

    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return Map.of("master", "spark://127.0.0.1:" + masterPort, "conf", Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.cores", "1",
                "spark.executor.memory", "512m",
                "spark.cores.max", "2"));
    }

    @BeforeAll
    void startCluster() throws Exception {
        sparkHome = sparkHome();
        masterPort = freePort();
        masterUiPort = freePort();
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort));
        awaitPort(masterPort);
        for (int i = 1; i <= 2; i++) {
            Path workDir = Files.createDirectories(clusterDir.resolve("worker-" + i));
            start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir", workDir.toString(),
                    "spark://127.0.0.1:" + masterPort);
        }
        awaitWorkers(2);
    }

    @Test
    void theDocumentedExampleGivesItsTablesOnAStandaloneCluster() {
        Scenario example = AutoCdcExampleConformanceTest.documented();
        assertScenario(example, Processing.AT_ONCE);

        SparkSession session = SparkSession.active();
        assertThat(session.sparkContext().master()).isEqualTo("spark://127.0.0.1:" + masterPort);
        // Two executors, one per worker, besides the driver: the work ran on the cluster.
        assertThat(session.sparkContext().getExecutorMemoryStatus().size()).as("driver and executors").isEqualTo(3);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        // Executors are the workers' children; a worker that stops kills them. None may be left.
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> left = processesOfThisCluster();
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            left = processesOfThisCluster();
        }
        assertThat(left).as("processes of the test cluster still running").isEmpty();
    }

    /** Command lines that name this cluster's folder: the master, the workers and their executors. */
    private List<String> processesOfThisCluster() {
        String marker = clusterDir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(marker))
                .toList();
    }

    /**
     * A folder a Worker accepts as SPARK_HOME: executors are started with {@code SPARK_HOME/jars/*} as
     * their class path, so it links every jar of this JVM's class path (Spark, Delta, their libraries).
     */
    private Path sparkHome() throws IOException {
        Path home = Files.createDirectories(clusterDir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar)) {
                Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar.toAbsolutePath());
                }
            }
        }
        return home;
    }

    private void start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("changepipe.spark.jvm.options", "").split("\\s+")));
        command.removeIf(String::isBlank);
        command.addAll(List.of("-Xmx512m", "-Djava.io.tmpdir=" + Files.createDirectories(clusterDir.resolve("tmp-" + name)),
                "-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(clusterDir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_LOG_DIR", clusterDir.toString());
        started.add(builder.start());
    }

    private void awaitPort(int port) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the master did not listen on port " + port + "; see " + clusterDir.resolve("master.log"));
    }

    /** Waits until the master's status page counts the workers alive. */
    private void awaitWorkers(int count) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpClient http = HttpClient.newHttpClient();
        URI status = URI.create("http://127.0.0.1:" + masterUiPort + "/json/");
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode master = JSON.readTree(http.send(HttpRequest.newBuilder(status).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (master.path("aliveworkers").asInt() >= count) {
                    return;
                }
            } catch (IOException notYet) {
                // The page is not up yet.
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(count + " workers did not register; see the logs in " + clusterDir);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
