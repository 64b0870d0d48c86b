package dev.changepipe.spark;

import dev.changepipe.sql.SparkDialect;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The names {@code changepipe.files}, {@code changepipe.offsets} and {@code changepipe.task_history}
 * in queries, as in the embedded engine. Temporary views cannot have a schema, so they are catalog
 * tables, and the catalog is shared by all sessions of the JVM: the names point at one warehouse at
 * a time and are re-pointed, under a lock, when a query comes from an engine over another warehouse
 * (which happens only when one JVM opens several warehouses, as tests do). The tables are external:
 * dropping a name never touches its data.
 */
final class SparkCatalogNames {
    private static final String SCHEMA = "changepipe";
    private static final Object LOCK = new Object();
    private static String boundRoot;

    private SparkCatalogNames() {}

    /**
     * Whether {@code sql} may name one of these tables. Binding them costs seven statements, and most
     * queries read only the spec's tables; a name of the schema cannot be written without its letters.
     */
    static boolean mayName(String sql) {
        return sql.toLowerCase(Locale.ROOT).contains(SCHEMA);
    }

    static <T> T whileBound(SparkSession session, SparkLocations at, Supplier<T> work) {
        synchronized (LOCK) {
            if (!at.root().equals(boundRoot)) {
                bind(session, at);
            }
            return work.get();
        }
    }

    /** Forgets the binding of a warehouse that closes, so that a later one at the same place binds afresh. */
    static void release(SparkLocations at) {
        synchronized (LOCK) {
            if (at.root().equals(boundRoot)) {
                boundRoot = null;
            }
        }
    }

    private static void bind(SparkSession session, SparkLocations at) {
        boundRoot = null;
        session.sql("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        for (List<String> table : List.of(List.of("files", at.files()), List.of("offsets", at.offsets()),
                List.of("task_history", at.taskHistory()))) {
            session.sql("DROP TABLE IF EXISTS " + SCHEMA + "." + table.get(0));
            session.sql("CREATE TABLE " + SCHEMA + "." + table.get(0) + " USING delta LOCATION "
                    + SparkDialect.literal(table.get(1)));
        }
        boundRoot = at.root();
    }
}
