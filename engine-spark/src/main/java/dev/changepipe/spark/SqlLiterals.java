package dev.changepipe.spark;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a statement's {@code ?} parameters in as SQL literals. Spark binds parameters only in some
 * statements (not in MERGE or DELETE, nor through every API), so the engine binds all of them the
 * same way: each value becomes a typed literal, and text is escaped, so no value is read as SQL.
 */
final class SqlLiterals {
    private SqlLiterals() {}

    static String bind(String sql, List<?> parameters) {
        StringBuilder out = new StringBuilder(sql.length() + 16 * parameters.size());
        int next = 0;
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '\'' && i + 1 < sql.length()) {
                    out.append(c).append(sql.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
                out.append(c);
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                out.append(c);
            } else if (c == '?') {
                if (next >= parameters.size()) {
                    throw new IllegalArgumentException("the statement has more ? than the " + parameters.size()
                            + " parameters given");
                }
                out.append(literal(parameters.get(next++)));
            } else {
                out.append(c);
            }
        }
        if (next != parameters.size()) {
            throw new IllegalArgumentException("the statement has " + next + " ? for " + parameters.size() + " parameters");
        }
        return out.toString();
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "CAST(" + value + " AS " + (value instanceof Long ? "BIGINT" : "INT") + ")";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString() + "BD";
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d + "D" : "CAST(" + string(d.toString()) + " AS DOUBLE)";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof LocalDate d) {
            return "DATE " + string(d.toString());
        }
        if (value instanceof LocalDateTime t) {
            return "TIMESTAMP_NTZ " + string(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t).replace('T', ' '));
        }
        if (value instanceof OffsetDateTime t) {
            return literal(t.toInstant());
        }
        if (value instanceof Instant t) {
            return "TIMESTAMP " + string(t.toString());
        }
        throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " as a SQL literal");
    }

    /** A string literal: Spark reads a backslash as an escape, so both it and the quote are escaped. */
    static String string(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
