package dev.changepipe.spark;

import static dev.changepipe.sql.ColumnFragments.anyOrFalse;
import static dev.changepipe.sql.ColumnFragments.keysMatch;
import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a pipeline's Delta tables live and the SQL fragments that fill the engine's templates. The
 * session reads double-quoted names as identifiers, so names are quoted by core's one method.
 */
final class SparkSchema {
    /** The folder under {@code engine.path} that holds the bookkeeping tables shared by the warehouse's pipelines. */
    static final String BOOKKEEPING = "_changepipe";

    private SparkSchema() {}

    static String typeName(ColumnType type) {
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

    static DataType dataType(ColumnType type) {
        return switch (type) {
            case BIGINT -> DataTypes.LongType;
            case INTEGER -> DataTypes.IntegerType;
            case DOUBLE -> DataTypes.DoubleType;
            case DECIMAL -> DataTypes.createDecimalType(38, 9);
            case VARCHAR -> DataTypes.StringType;
            case BOOLEAN -> DataTypes.BooleanType;
            case DATE -> DataTypes.DateType;
            case TIMESTAMP -> DataTypes.TimestampNTZType;
            case TIMESTAMPTZ -> DataTypes.TimestampType;
        };
    }

    /** A schema's columns and their SQL types, in order. */
    static Map<String, String> typeNames(StructType schema) {
        Map<String, String> names = new LinkedHashMap<>();
        for (StructField field : schema.fields()) {
            names.put(field.name(), field.dataType().sql());
        }
        return names;
    }

    /** The type of the history table's start and end columns: the sequence's, or the ingestion time's. */
    static String sequenceTypeName(PipelineSpec spec) {
        return spec.sequenceBy().map(c -> typeName(spec.typeOf(c))).orElse(typeName(ColumnType.TIMESTAMPTZ));
    }

    /** A Delta table's location as a path identifier, {@code delta.`…`}. */
    static String deltaTable(String location) {
        return "delta.`" + location.replace("`", "``") + "`";
    }

    /** A location as a SQL string literal. */
    static String literal(String text) {
        return SqlLiterals.string(text);
    }

    static Map<String, String> fragments(PipelineSpec spec, SparkLocations at) {
        List<String> all = List.copyOf(spec.columns().keySet());
        List<String> keys = spec.keys();
        List<String> target = spec.targetColumns();
        Map<String, String> f = new HashMap<>();
        f.put("files", deltaTable(at.files()));
        f.put("offsets", deltaTable(at.offsets()));
        f.put("task_history", deltaTable(at.taskHistory()));
        f.put("raw", deltaTable(at.raw()));
        f.put("rejects", deltaTable(at.rejects()));
        f.put("current", deltaTable(at.current()));
        f.put("history", deltaTable(at.history()));
        f.put("current_location", literal(at.current()));
        f.put("raw_name", Identifier.quote(spec.tables().raw()));
        f.put("rejects_name", Identifier.quote(spec.tables().rejects()));
        f.put("current_name", Identifier.quote(spec.tables().current()));
        f.put("changes_name", Identifier.quote(spec.tables().changes()));
        f.put("history_name", Identifier.quote(spec.tables().history()));
        f.put("start", Identifier.quote(spec.historyColumns().start()));
        f.put("end", Identifier.quote(spec.historyColumns().end()));
        f.put("is_current", Identifier.quote(spec.historyColumns().current()));
        f.put("sequence_type", sequenceTypeName(spec));
        f.put("raw_column_definitions", list(all, c -> Identifier.quote(c) + " " + typeName(spec.typeOf(c))));
        f.put("target_column_definitions", list(target, c -> Identifier.quote(c) + " " + typeName(spec.typeOf(c))));
        f.put("keys", list(keys, Identifier::quote));
        f.put("r_keys", list(keys, c -> "r." + Identifier.quote(c)));
        f.put("target_columns", list(target, Identifier::quote));
        for (String alias : List.of("r", "l", "h", "v")) {
            f.put(alias + "_target_columns", list(target, c -> alias + "." + Identifier.quote(c)));
        }
        f.put("match_r_k", keysMatch(keys, "r", "k"));
        f.put("match_l_c", keysMatch(keys, "l", "c"));
        f.put("match_h_k", keysMatch(keys, "h", "k"));
        f.put("match_f_s", keysMatch(keys, "f", "s"));
        f.put("match_h_v", keysMatch(keys, "h", "v"));
        f.put("set_c_from_l", list(target, c -> "c." + Identifier.quote(c) + " = l." + Identifier.quote(c)));
        f.put("set_h_from_v", list(target, c -> "h." + Identifier.quote(c) + " = v." + Identifier.quote(c)));
        f.put("fresh_or_stale_columns", list(target, c -> keys.contains(c)
                ? "coalesce(f." + Identifier.quote(c) + ", s." + Identifier.quote(c) + ") AS " + Identifier.quote(c)
                : "f." + Identifier.quote(c) + " AS " + Identifier.quote(c)));
        f.put("sequence", spec.sequenceBy().map(c -> "r." + Identifier.quote(c)).orElse("r._ingested_at"));
        f.put("is_delete", spec.deleteWhen()
                .map(p -> "coalesce(" + p.toSql(c -> "r." + Identifier.quote(c)) + ", false)")
                .orElse("false"));
        f.put("values_differ_l_c", anyOrFalse(spec.valueColumns(),
                c -> "l." + Identifier.quote(c) + " IS DISTINCT FROM c." + Identifier.quote(c)));
        f.put("values_differ_f_s", anyOrFalse(spec.valueColumns(),
                c -> "f." + Identifier.quote(c) + " IS DISTINCT FROM s." + Identifier.quote(c)));
        f.put("tracked_changed", anyOrFalse(spec.trackHistoryColumns(),
                c -> "(lag(" + Identifier.quote(c) + ") OVER w) IS DISTINCT FROM " + Identifier.quote(c)));
        return f;
    }
}
