package dev.changepipe.spark;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SparkDialect;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * One pipeline's Delta tables as the engine's parts read and write them: its session, where the tables
 * live, the fragments of its templates, and the one lock that every write of the session takes.
 *
 * <p>The lock exists because a task's MERGE marks its commit with the task's offset through settings of
 * the session ({@code txnAppId}, {@code txnVersion}), not of the thread: a write from another thread (a
 * feed consumer's offset, the task history) made while they are set would be marked too, and could be
 * skipped by Delta as a replay.
 */
final class PipelineTables {
    private static final String TXN_APP_ID = "spark.databricks.delta.write.txnAppId";
    private static final String TXN_VERSION = "spark.databricks.delta.write.txnVersion";

    private volatile PipelineSpec spec;
    private final SparkSession session;
    private final SparkLocations at;
    private final SparkDialect dialect;
    private volatile Map<String, Sql> fragments;
    private final Object writeLock = new Object();

    PipelineTables(PipelineSpec spec, SparkSession session, SparkLocations at) {
        this.spec = spec;
        this.session = session;
        this.at = at;
        this.dialect = SparkSchema.dialect(at);
        this.fragments = SparkSchema.fragments(spec, at, dialect);
    }

    PipelineSpec spec() {
        return spec;
    }

    /** Takes {@code shaped}, the spec with the columns files added (rule 1.10), for every statement from now on. */
    void reshape(PipelineSpec shaped) {
        this.fragments = SparkSchema.fragments(shaped, at, dialect);
        this.spec = shaped;
    }

    /** The pipeline's name: the {@code pipeline} column of the warehouse's shared bookkeeping tables. */
    String pipeline() {
        return spec.name();
    }

    SparkSession session() {
        return session;
    }

    SparkLocations at() {
        return at;
    }

    SparkDialect dialect() {
        return dialect;
    }

    Map<String, Sql> fragments() {
        return fragments;
    }

    /** A piece of the fragments that holds only text: a table reference or a column list. */
    String text(String fragment) {
        return fragments.get(fragment).plainText();
    }

    /** The Delta table at {@code location}, to be filtered with bound values rather than SQL text. */
    Dataset<Row> table(String location) {
        return session.read().format("delta").load(location);
    }

    StructType schemaOf(String location) {
        return table(location).schema();
    }

    /** The rows of a statement written with {@code ?} placeholders, as Spark gives them. */
    List<Row> rows(String sql, Object... parameters) {
        return whileActive(() -> session.sql(SparkDialect.inline(sql, Arrays.asList(parameters))).collectAsList());
    }

    /**
     * Runs {@code read} with this session active on the thread. Spark makes a result's row decoder lazily,
     * from the settings of the thread's active session, not of the session that made the result: a thread
     * with no active session (a JUnit or query endpoint thread) would get, for one, {@code java.sql.Timestamp}
     * values instead of the instants this session's settings ask for. So a read is built and collected here.
     */
    <T> T whileActive(Supplier<T> read) {
        Option<SparkSession> active = SparkSession.getActiveSession();
        SparkSession.setActiveSession(session);
        try {
            return read.get();
        } finally {
            if (active.isDefined()) {
                SparkSession.setActiveSession(active.get());
            } else {
                SparkSession.clearActiveSession();
            }
        }
    }

    /** The rows of a statement, with values as the embedded engine returns them. */
    QueryResult select(String sql, List<?> parameters) {
        return whileActive(() -> {
            Dataset<Row> result = session.sql(SparkDialect.inline(sql, parameters));
            List<String> columns = Arrays.asList(result.columns());
            List<List<Object>> rows = new ArrayList<>();
            for (Row row : result.collectAsList()) {
                List<Object> values = new ArrayList<>(row.size());
                for (int i = 0; i < row.size(); i++) {
                    values.add(fromSpark(row.get(i)));
                }
                rows.add(values);
            }
            return new QueryResult(columns, rows);
        });
    }

    /** A user's read as Arrow batches: collected with this session active, like {@link #select}. */
    ArrowReader selectArrow(String sql, BufferAllocator allocator) {
        return whileActive(() -> {
            Dataset<Row> result = session.sql(sql);
            return new SparkArrowResult(allocator, result.schema(), result.collectAsList());
        });
    }

    /** Runs one of the engine's own templated statements (schema, views): they create, so they take the lock. */
    void run(Sql statement) {
        String text = dialect.executable(statement, Map.of()).text();
        synchronized (writeLock) {
            session.sql(text);
        }
    }

    /** Runs a statement that writes (DELETE, MERGE, ALTER), written with {@code ?} placeholders. */
    void write(String sql, Object... parameters) {
        String text = SparkDialect.inline(sql, Arrays.asList(parameters));
        synchronized (writeLock) {
            whileActive(() -> session.sql(text).collectAsList());
        }
    }

    /** Replaces the Delta table at {@code location}, its schema too, with the rows of {@code query}: one commit. */
    void overwrite(String location, String query) {
        synchronized (writeLock) {
            whileActive(() -> {
                session.sql(query).write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(location);
                return null;
            });
        }
    }

    void append(String location, List<Row> rows, StructType schema) {
        if (rows.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            session.createDataFrame(rows, schema).write().format("delta").mode("append").save(location);
        }
    }

    /**
     * Runs {@code statement} as a write that Delta records under transaction {@code appId} at
     * {@code version}, and skips if it has seen that version: data and offset commit together.
     */
    Row writeAsTransaction(String appId, long version, String statement) {
        synchronized (writeLock) {
            session.conf().set(TXN_APP_ID, appId);
            session.conf().set(TXN_VERSION, Long.toString(version));
            try {
                return session.sql(statement).first();
            } finally {
                // Left set, they would mark (and could skip) every later write of the session.
                session.conf().unset(TXN_APP_ID);
                session.conf().unset(TXN_VERSION);
            }
        }
    }

    /** Runs {@code work}, turning a failure that is not yet a changepipe error into one that names {@code what}. */
    static <T> T failing(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (ChangepipeException e) {
            throw e;
        } catch (Exception e) {
            // Spark's AnalysisException is a checked exception that Scala code throws undeclared.
            throw ChangepipeException.external(what + " failed: " + ChangepipeException.firstLine(e.getMessage()), e);
        }
    }

    static void failing(String what, Runnable work) {
        failing(what, () -> {
            work.run();
            return null;
        });
    }

    /** Values as the embedded engine returns them: an instant is an {@link java.time.OffsetDateTime} in UTC. */
    private static Object fromSpark(Object value) {
        if (value instanceof Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof BigDecimal || value == null || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Temporal) {
            return value;
        }
        return value.toString();
    }
}
