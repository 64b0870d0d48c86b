package dev.changepipe.spark;

import static dev.changepipe.sql.ColumnFragments.list;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.scd.PlanFragments;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.Sql;
import dev.changepipe.sql.SparkDialect;
import dev.changepipe.sql.SqlDialect;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a pipeline's Delta tables live and the pieces that fill the engine's own templates: core's
 * plan fragments, and the bookkeeping tables, views and table definitions only this engine has.
 */
final class SparkSchema {
    /** The folder under {@code engine.path} that holds the bookkeeping tables shared by the warehouse's pipelines. */
    static final String BOOKKEEPING = "_changepipe";

    private SparkSchema() {}

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

    /** The dialect of a pipeline's tables at their locations. */
    static SparkDialect dialect(SparkLocations at) {
        return new SparkDialect(role -> switch (role) {
            case RAW -> at.raw();
            case REJECTS -> at.rejects();
            case CURRENT -> at.current();
            case HISTORY -> at.history();
        });
    }

    static Map<String, Sql> fragments(PipelineSpec spec, SparkLocations at, SqlDialect dialect) {
        List<String> all = List.copyOf(spec.columns().keySet());
        List<String> target = spec.targetColumns();
        Map<String, String> f = new HashMap<>();
        f.put("files", SparkDialect.deltaTable(at.files()));
        f.put("offsets", SparkDialect.deltaTable(at.offsets()));
        f.put("task_history", SparkDialect.deltaTable(at.taskHistory()));
        f.put("current_location", SparkDialect.literal(at.current()));
        f.put("raw_name", dialect.quote(spec.tables().raw()));
        f.put("rejects_name", dialect.quote(spec.tables().rejects()));
        f.put("current_name", dialect.quote(spec.tables().current()));
        f.put("changes_name", dialect.quote(spec.tables().changes()));
        f.put("history_name", dialect.quote(spec.tables().history()));
        f.put("sequence_type", TableColumns.sequenceType(spec, dialect));
        f.put("raw_column_definitions", list(all, c -> dialect.quote(c) + " " + dialect.typeName(spec.typeOf(c))));
        f.put("target_column_definitions", list(target, c -> dialect.quote(c) + " " + dialect.typeName(spec.typeOf(c))));
        Map<String, Sql> pieces = new HashMap<>(PlanFragments.of(spec, dialect));
        pieces.putAll(Sql.texts(f));
        return pieces;
    }
}
