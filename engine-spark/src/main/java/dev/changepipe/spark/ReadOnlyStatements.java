package dev.changepipe.spark;

import dev.changepipe.error.ChangepipeException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells a read from a statement that writes. Spark runs commands as soon as it is given them and
 * has no transaction to roll back, so {@code query} parses first and refuses any plan that holds a
 * command (DELETE, MERGE, CREATE, SET, VACUUM, …) or an INSERT, before anything runs.
 */
final class ReadOnlyStatements {
    private ReadOnlyStatements() {}

    static void check(SparkSession session, String sql) {
        LogicalPlan plan;
        // The parser reads its settings (double-quoted identifiers, ANSI) from the thread's active session;
        // a query can come from any thread (the query endpoint's), which may have none or another one.
        Option<SparkSession> active = SparkSession.getActiveSession();
        SparkSession.setActiveSession(session);
        try {
            plan = session.sessionState().sqlParser().parsePlan(sql);
        } catch (ParseException | RuntimeException e) {
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        } finally {
            if (active.isDefined()) {
                SparkSession.setActiveSession(active.get());
            } else {
                SparkSession.clearActiveSession();
            }
        }
        Deque<LogicalPlan> open = new ArrayDeque<>();
        open.push(plan);
        while (!open.isEmpty()) {
            LogicalPlan node = open.pop();
            if (node instanceof Command || node instanceof ParsedStatement) {
                throw ChangepipeException.user("query: only statements that read are allowed; this one would run "
                        + node.nodeName());
            }
            CollectionConverters.asJava(node.children()).forEach(open::push);
        }
    }
}
