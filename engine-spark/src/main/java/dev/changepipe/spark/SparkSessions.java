package dev.changepipe.spark;

import dev.changepipe.error.ChangepipeException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark application of a JVM. Starting one costs seconds, so every engine of the JVM shares
 * it and works in a session of its own ({@link SparkSession#newSession()}: own temporary views and
 * settings, shared cluster and cache). Under {@code spark-submit} the application already exists and
 * is joined as it is.
 */
final class SparkSessions {
    /**
     * Marks an application changepipe started, with the master it was started on: kept in the application's
     * own settings rather than in a field, so the JVM holds no state of its own about it.
     */
    private static final String STARTED_ON = "spark.changepipe.startedOn";

    private SparkSessions() {}

    /** Settings every changepipe session needs; a spec's {@code engine.conf} may override the tuning ones. */
    static Map<String, String> requiredConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        // The spec's names are written "quoted" (core's one way of quoting), as in the embedded engine.
        conf.put("spark.sql.ansi.enabled", "true");
        conf.put("spark.sql.ansi.doubleQuotedIdentifiers", "true");
        conf.put("spark.sql.session.timeZone", "UTC");
        // Dates and instants as java.time values, like the embedded engine's.
        conf.put("spark.sql.datetime.java8API.enabled", "true");
        return conf;
    }

    /** Defaults a spec's {@code engine.conf} may replace. */
    static Map<String, String> defaultConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.app.name", "changepipe");
        conf.put("spark.ui.enabled", "false");
        // Tables live at paths; no metastore is needed and none is started.
        conf.put("spark.sql.catalogImplementation", "in-memory");
        conf.put("spark.sql.adaptive.enabled", "true");
        return conf;
    }

    static synchronized SparkSession shared(String master, Map<String, String> userConf) {
        SparkSession active = SparkSession.getDefaultSession().getOrElse(() -> null);
        if (active != null && !active.sparkContext().isStopped()) {
            String running = active.sparkContext().master();
            String startedOn = active.sparkContext().getConf().get(STARTED_ON, null);
            // An application joined under spark-submit runs on the master it was given, whatever the spec says.
            if (startedOn != null && !startedOn.equals(master)) {
                throw ChangepipeException.user("engine.master: this process already runs Spark on " + running
                        + "; one process runs one Spark application, so it cannot also use " + master);
            }
            return active;
        }
        SparkSession.Builder builder = SparkSession.builder().master(master);
        Map<String, String> conf = new LinkedHashMap<>(defaultConf());
        if (master.startsWith("local")) {
            // The driver is the only JVM that touches the files. On a cluster the executors write too, and
            // they would need this class on their class path.
            conf.putAll(NioLocalFileSystem.SETTINGS);
            // Nothing outside this JVM talks to a local-mode driver, so its ports stay on loopback instead of
            // the first non-loopback interface Spark would pick.
            conf.put("spark.driver.host", "127.0.0.1");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.putAll(userConf);
        conf.putAll(requiredConf());
        conf.put(STARTED_ON, master);
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }
}
