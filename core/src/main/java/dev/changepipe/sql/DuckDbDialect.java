package dev.changepipe.sql;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.TableNames;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DuckDB's spelling: tables by quoted name in the database file, every value bound to a {@code ?}. */
public final class DuckDbDialect implements SqlDialect {
    private final TableNames tables;

    public DuckDbDialect(TableNames tables) {
        this.tables = tables;
    }

    @Override
    public String typeName(ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,9)";
            case VARCHAR -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
        };
    }

    @Override
    public String semiJoin() {
        return "SEMI JOIN";
    }

    @Override
    public String table(TableRole role) {
        return quote(switch (role) {
            case RAW -> tables.raw();
            case REJECTS -> tables.rejects();
            case CURRENT -> tables.current();
            case HISTORY -> tables.history();
        });
    }

    @Override
    public Optional<String> rowId(String alias) {
        return Optional.of(alias + ".rowid");
    }

    @Override
    public String argMax(String value, List<String> order) {
        return "arg_max(" + value + ", (" + String.join(", ", order) + "))";
    }

    /**
     * A decimal value is bound with its own type: DuckDB gives an untyped {@code ?} the type of what it
     * is compared with, and {@code seq > 1.5} on a BIGINT column would otherwise compare with 2.
     */
    @Override
    public Executable executable(Sql statement, Map<String, ?> parameters) {
        StringBuilder text = new StringBuilder();
        for (Sql.Part part : statement.parts()) {
            if (part instanceof Sql.Text t) {
                text.append(t.text());
            } else if (part instanceof Sql.Value v && v.value() instanceof BigDecimal d) {
                text.append(d.precision() <= 38
                        ? "CAST(? AS DECIMAL(" + Math.max(d.precision(), d.scale()) + "," + d.scale() + "))"
                        : "CAST(? AS DOUBLE)");
            } else {
                text.append('?');
            }
        }
        return new Executable(text.toString(), statement.values(parameters));
    }
}
