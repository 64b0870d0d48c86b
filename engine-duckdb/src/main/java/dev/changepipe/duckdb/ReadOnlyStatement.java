package dev.changepipe.duckdb;

import dev.changepipe.error.ChangepipeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one check every user's statement passes before DuckDB runs it ({@code query}, the query endpoint, the SQL
 * door): it must be exactly one statement that reads.
 *
 * <p>DuckDB's own parser decides, through {@code json_serialize_sql}, which serializes only SELECT statements and
 * reports any other kind (COPY, ATTACH, SET, PRAGMA, INSTALL, LOAD, CHECKPOINT, BEGIN/COMMIT, CREATE, INSERT, …)
 * as not serializable. SELECT here is the parser's SELECT: {@code WITH}, {@code VALUES}, {@code FROM t},
 * {@code DESCRIBE}, {@code SHOW}, {@code SUMMARIZE} parse to one. {@code EXPLAIN [ANALYZE]} of such a statement is
 * allowed too; PRAGMA is not (it also sets options), its table functions ({@code pragma_table_info('t')}) are.
 *
 * <p>Exactly one statement: the JDBC driver runs every statement but the last of a script while preparing it, so
 * a script is refused here, before it is prepared. What a SELECT may still reach (files, other databases) is bounded
 * by the database's own settings, {@code enable_external_access = false} under {@code lock_configuration}
 * ({@link DuckDbEngine}); this check and those settings do not rely on each other.
 */
final class ReadOnlyStatement {
    /** What the user reads when a statement is refused for its kind. */
    static final String REFUSED = "the query endpoint is read-only: only one statement that reads "
            + "(SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW, SUMMARIZE, or EXPLAIN of one) is allowed";

    private static final String PARSE = """
            SELECT (s ->> '$.error')::BOOLEAN, s ->> '$.error_type', s ->> '$.error_message',
                   coalesce(json_array_length(s, '$.statements'), 0)
            FROM (SELECT json_serialize_sql(?::VARCHAR) AS s)""";

    /**
     * A leading EXPLAIN or EXPLAIN ANALYZE, after blanks and comments; the rest is checked as a statement of its own.
     * A spelling this does not match is simply checked whole, and refused: the pattern can only let less through.
     */
    private static final Pattern EXPLAIN = Pattern.compile(
            "\\A(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*EXPLAIN(?:\\s+ANALY[SZ]E)?\\s+(.*)\\z",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private ReadOnlyStatement() {}

    /**
     * Refuses, as a user error, anything but one statement that reads. Runs one SELECT on {@code connection}, in
     * whatever transaction it has; the statement itself is only parsed, never run.
     */
    static void vet(Connection connection, String sql) {
        Matcher explain = EXPLAIN.matcher(sql);
        String statement = explain.matches() ? explain.group(1) : sql;
        try (PreparedStatement parse = connection.prepareStatement(PARSE)) {
            parse.setString(1, statement);
            try (ResultSet result = parse.executeQuery()) {
                result.next();
                if (!result.getBoolean(1)) {
                    if (result.getInt(4) != 1) {
                        throw ChangepipeException.user(REFUSED + "; this holds " + result.getInt(4) + " statements");
                    }
                    return;
                }
                if ("not implemented".equals(result.getString(2))) {
                    throw ChangepipeException.user(REFUSED);
                }
                throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(result.getString(3)));
            }
        } catch (SQLException e) {
            throw ChangepipeException.user("query failed: " + ChangepipeException.firstLine(e.getMessage()));
        }
    }
}
