package dev.changepipe.spark;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.EngineFactory;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code engine: {type: spark, path: lake, master: "local[*]", conf: {…}}}: Delta tables under
 * {@code path} (a folder, or a Hadoop URI such as {@code s3a://bucket/lake}), run by Spark on
 * {@code master} (local mode, or {@code spark://host:port} for a standalone cluster), with
 * {@code conf} passed to Spark as given.
 */
public final class SparkEngineFactory implements EngineFactory {
    static final String DEFAULT_MASTER = "local[*]";
    private static final Set<String> OPTIONS = Set.of("master", "conf");

    @Override
    public String type() {
        return "spark";
    }

    @Override
    public Engine create(PipelineSpec spec) {
        Map<String, Object> options = spec.engine().options();
        for (String field : options.keySet()) {
            if (!OPTIONS.contains(field)) {
                throw ChangepipeException.user("engine." + field
                        + ": unknown option for the spark engine; it takes type, path, master and conf");
            }
        }
        String master = master(options.get("master"));
        Map<String, String> conf = conf(options.get("conf"));
        SparkSession session = SparkSessions.shared(master, conf).newSession();
        // Delta's default of 50 partitions for reading a table's log, and Spark's 200 for a shuffle,
        // make every small MERGE pay for dozens of empty tasks: size both to the cores there are.
        String cores = Integer.toString(Math.max(1, session.sparkContext().defaultParallelism()));
        for (String setting : new String[] {"spark.sql.shuffle.partitions", "spark.databricks.delta.snapshotPartitions"}) {
            session.conf().set(setting, cores);
        }
        // The spec's SQL and Delta settings apply to this session also when the application already ran
        // (under spark-submit, or a second pipeline in the JVM); the changepipe ones stay.
        conf.forEach((key, value) -> {
            if ((key.startsWith("spark.sql.") || key.startsWith("spark.databricks.delta."))
                    && !SparkSessions.requiredConf().containsKey(key)) {
                session.conf().set(key, value);
            }
        });
        return new SparkEngine(spec, session, spec.engine().location());
    }

    private static String master(Object value) {
        if (value == null) {
            return DEFAULT_MASTER;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw ChangepipeException.user("engine.master: must be a Spark master URL such as \"local[*]\" or "
                    + "\"spark://127.0.0.1:7077\"");
        }
        if (!text.startsWith("local") && !text.startsWith("spark://")) {
            throw ChangepipeException.user("engine.master: '" + text + "' is not supported; use local, local[N], "
                    + "local[*] or spark://host:port (or run under spark-submit, which sets the master)");
        }
        return text;
    }

    private static Map<String, String> conf(Object value) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (value == null) {
            return conf;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ChangepipeException.user("engine.conf: must be a mapping of Spark settings, such as "
                    + "{spark.executor.memory: 2g}");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object setting = entry.getValue();
            if (setting instanceof Map<?, ?> || setting instanceof Iterable<?> || setting == null) {
                throw ChangepipeException.user("engine.conf." + entry.getKey() + ": must be a single value");
            }
            conf.put(String.valueOf(entry.getKey()), String.valueOf(setting));
        }
        return conf;
    }
}
