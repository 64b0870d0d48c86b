package dev.changepipe.spark;

import java.util.Iterator;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.SetTransaction;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The transaction identifiers ({@code txnAppId} → {@code txnVersion}) a Delta table's log keeps:
 * how the current and history tasks store their offsets in the same commit as their data.
 *
 * <p>The snapshot's own table of them is computed by a Spark job over the whole log state (about
 * 1.5 s here, again after every commit), so the latest one is looked up in the newest commits first,
 * each one small JSON file, and only a table with a long tail of other commits pays for the job.
 */
final class DeltaTransactions {
    private static final int RECENT_COMMITS = 50;

    private DeltaTransactions() {}

    /** The latest version committed under {@code appId}, or 0 when there is none. */
    static long latest(SparkSession session, String location, String appId) {
        DeltaLog log = DeltaLog.forTable(session, location);
        Snapshot snapshot = log.update(false, Option.empty(), Option.empty());
        long newest = snapshot.version();
        long oldest = Math.max(0, newest - RECENT_COMMITS);
        try {
            for (long version = newest; version >= oldest; version--) {
                Iterator<Tuple2<Object, Seq<Action>>> commits =
                        CollectionConverters.asJava(log.getChanges(version, version, Option.empty(), false));
                while (commits.hasNext()) {
                    for (Action action : CollectionConverters.asJava(commits.next()._2())) {
                        if (action instanceof SetTransaction txn && txn.appId().equals(appId)) {
                            return txn.version();
                        }
                    }
                }
            }
            if (oldest == 0) {
                return 0;
            }
        } catch (RuntimeException e) {
            // A commit file removed by log clean-up: the snapshot's table has every transaction.
        }
        return ((Number) snapshot.transactions().get(appId).getOrElse(() -> 0L)).longValue();
    }

    /** The table's newest commit version. */
    static long tableVersion(SparkSession session, String location) {
        return DeltaLog.forTable(session, location).update(false, Option.empty(), Option.empty()).version();
    }

    /** When the table's newest commit was made, in epoch milliseconds. */
    static long lastCommitMillis(SparkSession session, String location) {
        return DeltaLog.forTable(session, location).update(false, Option.empty(), Option.empty()).timestamp();
    }
}
