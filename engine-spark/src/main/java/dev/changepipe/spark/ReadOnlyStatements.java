package dev.changepipe.spark;

import dev.changepipe.error.ChangepipeException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.ExplainCommand;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells a read of the pipeline's tables from anything else. Spark runs commands as soon as it is given them and has
 * no transaction to roll back, so {@code query} (and the SQL door's {@code queryArrow}) parses first and refuses,
 * before anything runs, every statement but one that reads the warehouse:
 *
 * <ul>
 *   <li>Every operator of the parsed plan — its children, its CTEs' definitions and the plans of its sub-queries
 *       (scalar, {@code IN}, {@code EXISTS}, lateral) — must be one of the {@linkplain #READING_OPERATORS operators
 *       that read}. An allow-list, not a deny-list: Spark has writes that are no {@code Command}
 *       ({@code INSERT OVERWRITE DIRECTORY}, {@code EXECUTE IMMEDIATE}), and an operator unknown here is refused.
 *   <li>A table is a name of one part (the spec's tables, {@code <current>_changes}, a CTE) or a Delta table by a
 *       path inside the warehouse ({@code delta.`<engine.path>/_changepipe/files`}, the documented way to the
 *       bookkeeping). Any other source by path ({@code csv.`/…`}, {@code text.`…`}, {@code parquet}, {@code json},
 *       {@code orc}, {@code binaryFile}, a Delta table elsewhere) and any name of several parts is refused.
 *   <li>A table function must be one that makes rows from its arguments ({@code range}, {@code explode}, …), or
 *       {@code table_changes_by_path} of a literal path inside the warehouse; functions that call Java
 *       ({@code reflect}, {@code java_method}, {@code try_reflect}) and names given as {@code IDENTIFIER(…)} are
 *       refused.
 * </ul>
 *
 * {@code EXPLAIN} of a statement that passes is allowed; nothing of it runs.
 */
final class ReadOnlyStatements {
    /** The parsed operators a read is made of, by simple class name (Spark's case classes and objects). */
    static final Set<String> READING_OPERATORS = Set.of("Project", "Filter", "Aggregate", "Join", "LateralJoin",
            "Sort", "GlobalLimit", "LocalLimit", "LimitAll", "Offset", "Tail", "SubqueryAlias", "UnresolvedRelation",
            "UnresolvedTableValuedFunction", "UnresolvedTVFAliases", "UnresolvedInlineTable",
            "UnresolvedSubqueryColumnAliases", "UnresolvedHaving", "LocalRelation", "OneRowRelation", "Range", "Union",
            "Intersect", "Except", "Distinct", "Deduplicate", "Window", "WithWindowDefinition", "Generate", "Expand",
            "Pivot", "Unpivot", "Sample", "UnresolvedWith", "WithCTE", "CTERelationDef", "CTERelationRef",
            "UnresolvedHint", "Repartition", "RepartitionByExpression", "RebalancePartitions", "RelationTimeTravel",
            "PipeOperator");

    /** Table functions that make rows from their arguments alone. */
    private static final Set<String> ROW_FUNCTIONS = Set.of("range", "explode", "explode_outer", "inline",
            "inline_outer", "posexplode", "posexplode_outer", "json_tuple", "stack", "sql_keywords",
            "variant_explode", "variant_explode_outer", "collations");
    /** Delta's table function over a table's change feed by path; its path must be the warehouse's. */
    private static final String CHANGES_BY_PATH = "table_changes_by_path";
    /** Functions that call any Java method, System.getenv included. */
    private static final Set<String> JAVA_CALLS = Set.of("reflect", "java_method", "try_reflect");
    /** Unresolved names that Spark resolves only after the parse, so nothing here could check what they name. */
    private static final Set<String> LATE_NAMES = Set.of("ExpressionWithUnresolvedIdentifier",
            "PlanWithUnresolvedIdentifier");

    private ReadOnlyStatements() {}

    /**
     * Refuses, as a user error, a statement that is not a read of the warehouse at {@code warehouse} (the engine's
     * root: a folder or a Hadoop file system URI). Nothing of the statement runs.
     */
    static void check(SparkSession session, String warehouse, String sql) {
        LogicalPlan plan = parse(session, sql);
        if (plan instanceof ExplainCommand) {
            plan = ((ExplainCommand) plan).logicalPlan();
        }
        Configuration hadoop = session.sessionState().newHadoopConf();
        String root = qualified(hadoop, warehouse) + "/";
        Deque<LogicalPlan> open = new ArrayDeque<>();
        open.push(plan);
        while (!open.isEmpty()) {
            LogicalPlan node = open.pop();
            String operator = node.getClass().getSimpleName();
            if (!READING_OPERATORS.contains(operator)) {
                throw refused("this one would run " + node.nodeName());
            }
            if (node instanceof UnresolvedRelation) {
                checkRelation(hadoop, root, CollectionConverters.asJava(((UnresolvedRelation) node).multipartIdentifier()));
            } else if (node instanceof UnresolvedTableValuedFunction) {
                checkTableFunction(hadoop, root, (UnresolvedTableValuedFunction) node);
            }
            CollectionConverters.asJava(node.children()).forEach(open::push);
            // A CTE's definitions are no children of the WITH.
            for (Object inner : CollectionConverters.asJava(node.innerChildren())) {
                if (inner instanceof LogicalPlan) {
                    open.push((LogicalPlan) inner);
                }
            }
            checkExpressions(node, open);
        }
    }

    private static LogicalPlan parse(SparkSession session, String sql) {
        // The parser reads its settings (double-quoted identifiers, ANSI) from the thread's active session;
        // a query can come from any thread (the query endpoint's), which may have none or another one.
        Option<SparkSession> active = SparkSession.getActiveSession();
        SparkSession.setActiveSession(session);
        try {
            return session.sessionState().sqlParser().parsePlan(sql);
        } catch (ParseException | RuntimeException e) {
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        } finally {
            if (active.isDefined()) {
                SparkSession.setActiveSession(active.get());
            } else {
                SparkSession.clearActiveSession();
            }
        }
    }

    /** The functions an operator calls, and the plans of its sub-queries, which go on the list of plans to check. */
    private static void checkExpressions(LogicalPlan node, Deque<LogicalPlan> open) {
        Deque<Expression> expressions = new ArrayDeque<>(CollectionConverters.asJava(node.expressions()));
        while (!expressions.isEmpty()) {
            Expression expression = expressions.pop();
            if (LATE_NAMES.contains(expression.getClass().getSimpleName())) {
                throw refused("a name given as IDENTIFIER(...) is not allowed");
            }
            if (expression instanceof SubqueryExpression) {
                open.push(((SubqueryExpression) expression).plan());
            }
            if (expression instanceof UnresolvedFunction) {
                List<String> name = CollectionConverters.asJava(((UnresolvedFunction) expression).nameParts());
                if (JAVA_CALLS.contains(name.get(name.size() - 1).toLowerCase(Locale.ROOT))) {
                    throw refused("it calls Java (" + String.join(".", name) + ")");
                }
            }
            CollectionConverters.asJava(expression.children()).forEach(expressions::push);
        }
    }

    private static void checkRelation(Configuration hadoop, String root, List<String> name) {
        if (name.size() == 1) {
            return;
        }
        if (name.size() == 2 && name.get(0).equalsIgnoreCase("delta")) {
            checkInside(hadoop, root, name.get(1));
            return;
        }
        // Two parts are a file source and its path (csv.`/…`) or a name in a catalog (changepipe.files): both refused.
        throw refused("it names " + String.join(".", name) + "; only the pipeline's tables (names of one part) and "
                + "Delta tables inside the warehouse (delta.`<path>`) can be read");
    }

    private static void checkTableFunction(Configuration hadoop, String root, UnresolvedTableValuedFunction function) {
        List<String> name = CollectionConverters.asJava(function.name());
        String last = name.get(name.size() - 1).toLowerCase(Locale.ROOT);
        if (name.size() == 1 && ROW_FUNCTIONS.contains(last)) {
            return;
        }
        if (name.size() == 1 && last.equals(CHANGES_BY_PATH)) {
            List<Expression> arguments = CollectionConverters.asJava(function.functionArgs());
            if (!arguments.isEmpty() && arguments.get(0) instanceof Literal && ((Literal) arguments.get(0)).value() != null) {
                checkInside(hadoop, root, ((Literal) arguments.get(0)).value().toString());
                return;
            }
            throw refused(CHANGES_BY_PATH + " takes a literal path inside the warehouse here");
        }
        throw refused("the table function " + String.join(".", name) + " is not allowed");
    }

    /** A path that lies inside the warehouse once both are qualified and normalized ({@code ..} resolved). */
    private static void checkInside(Configuration hadoop, String root, String path) {
        String at;
        try {
            at = qualified(hadoop, path);
        } catch (RuntimeException e) {
            throw refused("its path " + path + " cannot be read as a path");
        }
        if (!(at + "/").startsWith(root)) {
            throw refused("it reads " + path + ", outside the warehouse; only the pipeline's tables and Delta tables "
                    + "inside the warehouse can be read");
        }
    }

    private static String qualified(Configuration hadoop, String location) {
        Path path = new Path(location);
        try {
            String text = path.getFileSystem(hadoop).makeQualified(path).toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw ChangepipeException.user("query failed: cannot resolve " + location + ": " + e.getMessage());
        }
    }

    private static ChangepipeException refused(String why) {
        return ChangepipeException.user("the query endpoint is read-only: only statements that read the pipeline's tables are allowed; " + why);
    }
}
