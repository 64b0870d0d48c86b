package dev.changepipe.duckdb;

import static dev.changepipe.sql.ColumnFragments.anyOrFalse;
import static dev.changepipe.sql.ColumnFragments.keysMatch;
import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SQL fragments of one pipeline: quoted names and column lists that fill the engine's SQL templates. */
final class DuckDbSchema {
    private DuckDbSchema() {}

    static String typeName(ColumnType type) {
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

    /** The type of the history table's start and end columns: the sequence's, or the ingestion time's. */
    static String sequenceTypeName(PipelineSpec spec) {
        return spec.sequenceBy().map(c -> typeName(spec.typeOf(c))).orElse(typeName(ColumnType.TIMESTAMPTZ));
    }

    static Map<String, String> fragments(PipelineSpec spec) {
        List<String> all = List.copyOf(spec.columns().keySet());
        List<String> keys = spec.keys();
        List<String> target = spec.targetColumns();
        Map<String, String> f = new HashMap<>();
        f.put("raw", Identifier.quote(spec.tables().raw()));
        f.put("rejects", Identifier.quote(spec.tables().rejects()));
        f.put("current", Identifier.quote(spec.tables().current()));
        f.put("changes", Identifier.quote(spec.tables().changes()));
        f.put("history", Identifier.quote(spec.tables().history()));
        f.put("start", Identifier.quote(spec.historyColumns().start()));
        f.put("end", Identifier.quote(spec.historyColumns().end()));
        f.put("is_current", Identifier.quote(spec.historyColumns().current()));
        f.put("sequence_type", sequenceTypeName(spec));
        f.put("s_raw_columns", list(all, c -> "s." + Identifier.quote(c)));
        f.put("raw_column_definitions", list(all, c -> Identifier.quote(c) + " " + typeName(spec.typeOf(c))));
        f.put("target_column_definitions", list(target, c -> Identifier.quote(c) + " " + typeName(spec.typeOf(c))));
        f.put("keys", list(keys, Identifier::quote));
        f.put("r_keys", list(keys, c -> "r." + Identifier.quote(c)));
        f.put("target_columns", list(target, Identifier::quote));
        for (String alias : List.of("r", "c", "d", "h", "v")) {
            f.put(alias + "_target_columns", list(target, c -> alias + "." + Identifier.quote(c)));
        }
        f.put("match_r_k", keysMatch(keys, "r", "k"));
        f.put("match_l_c", keysMatch(keys, "l", "c"));
        f.put("match_d_c", keysMatch(keys, "d", "c"));
        f.put("match_h_k", keysMatch(keys, "h", "k"));
        f.put("match_h_s", keysMatch(keys, "h", "s"));
        f.put("match_v_o", keysMatch(keys, "v", "o"));
        f.put("sequence", spec.sequenceBy().map(c -> "r." + Identifier.quote(c)).orElse("r._ingested_at"));
        f.put("is_delete", spec.deleteWhen()
                .map(p -> "(" + p.toSql(c -> "r." + Identifier.quote(c)) + ") IS TRUE")
                .orElse("false"));
        f.put("values_differ_l_c", anyOrFalse(spec.valueColumns(),
                c -> "l." + Identifier.quote(c) + " IS DISTINCT FROM c." + Identifier.quote(c)));
        f.put("tracked_changed", anyOrFalse(spec.trackHistoryColumns(),
                c -> "(lag(" + Identifier.quote(c) + ") OVER w) IS DISTINCT FROM " + Identifier.quote(c)));
        return f;
    }
}
