package dev.changepipe.duckdb;

import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.scd.PlanFragments;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SqlDialect;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pieces that fill the engine's own templates: core's plan fragments, and the table definitions and names only DuckDB has. */
final class DuckDbSchema {
    private DuckDbSchema() {}

    static Map<String, Sql> fragments(PipelineSpec spec, SqlDialect dialect) {
        List<String> all = List.copyOf(spec.columns().keySet());
        List<String> target = spec.targetColumns();
        Map<String, String> f = new HashMap<>();
        f.put("changes", dialect.quote(spec.tables().changes()));
        f.put("sequence_type", TableColumns.sequenceType(spec, dialect));
        f.put("raw_columns", list(all, dialect::quote));
        f.put("s_raw_columns", list(all, c -> "s." + dialect.quote(c)));
        f.put("raw_column_definitions", list(all, c -> dialect.quote(c) + " " + dialect.typeName(spec.typeOf(c))));
        f.put("target_column_definitions", list(target, c -> dialect.quote(c) + " " + dialect.typeName(spec.typeOf(c))));
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.putAll(Sql.texts(f));
        return pieces;
    }
}
