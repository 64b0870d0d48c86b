package dev.changepipe.sql;

import dev.changepipe.spec.ColumnType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Spark SQL's spelling, for a session that reads double-quoted names as identifiers: Delta tables by
 * path, and values written as typed literals, because Spark binds parameters only in some statements
 * (not in MERGE or DELETE). Every value becomes text through {@link #literal} and nowhere else.
 */
public final class SparkDialect implements SqlDialect {
    private final Function<TableRole, String> locations;

    /** {@code locations}: where each of the pipeline's Delta tables lives. */
    public SparkDialect(Function<TableRole, String> locations) {
        this.locations = locations;
    }

    @Override
    public String typeName(ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,9)";
            case VARCHAR -> "STRING";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            // Spark's TIMESTAMP is an instant (shown in the session's zone, UTC here); TIMESTAMP_NTZ a wall-clock time.
            case TIMESTAMP -> "TIMESTAMP_NTZ";
            case TIMESTAMPTZ -> "TIMESTAMP";
        };
    }

    @Override
    public String semiJoin() {
        return "LEFT SEMI JOIN";
    }

    @Override
    public String table(TableRole role) {
        return deltaTable(locations.apply(role));
    }

    /** A Delta table by its location, {@code delta.`…`}; a backtick in the path is doubled. */
    public static String deltaTable(String location) {
        return "delta.`" + location.replace("`", "``") + "`";
    }

    /** Spark's {@code last_value} takes "ignore NULLs" as its second argument. */
    @Override
    public String lastNonNull(String value) {
        return "last_value(" + value + ", true)";
    }

    @Override
    public Executable executable(Sql statement, Map<String, ?> parameters) {
        return new Executable(statement.inline(parameters, SparkDialect::literal), List.of());
    }

    /**
     * Writes a statement's {@code ?} placeholders as literals, in order: for statements written as
     * text with positional parameters (a user's query, the engine's bookkeeping). Placeholders are
     * found in the text as given, outside quotes; the values written in are not read again.
     */
    public static String inline(String sql, List<?> parameters) {
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

    /** A value as a typed Spark SQL literal. */
    public static String literal(Object value) {
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

    /**
     * A string literal, by the one escaping rule of this dialect: Spark reads a backslash as an escape,
     * so the backslash and the quote are each written after a backslash. Newlines, {@code ;}, {@code :}
     * and {@code ?} need none: inside a literal they are characters.
     */
    static String string(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
