package dev.changepipe.spark;

import dev.changepipe.engine.TableColumns;
import dev.changepipe.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The shapes of the rows a load appends: the raw table's (the spec's columns, then the file id, name, line,
 * ingestion time and rescued values) and the rejects table's, as schema.sql creates them.
 *
 * @param columnCount how many of the raw table's columns are the spec's declared ones, its first
 * @param addedCount how many are columns files added (rule 1.10), its last
 */
record LoadSchemas(StructType raw, StructType rejects, int columnCount, int addedCount) {

    static LoadSchemas of(PipelineSpec spec) {
        List<StructField> raw = new ArrayList<>();
        spec.declaredColumns().forEach(c -> raw.add(DataTypes.createStructField(c, SparkSchema.dataType(spec.typeOf(c)), true)));
        raw.add(DataTypes.createStructField("_file_id", DataTypes.LongType, false));
        raw.add(DataTypes.createStructField("_file", DataTypes.StringType, false));
        raw.add(DataTypes.createStructField("_line", DataTypes.LongType, false));
        raw.add(DataTypes.createStructField("_ingested_at", DataTypes.TimestampType, false));
        raw.add(DataTypes.createStructField(TableColumns.RESCUED, DataTypes.StringType, true));
        spec.addedColumns().forEach(c -> raw.add(DataTypes.createStructField(c, SparkSchema.dataType(spec.typeOf(c)), true)));
        StructType rejects = DataTypes.createStructType(List.of(
                DataTypes.createStructField("_file_id", DataTypes.LongType, false),
                DataTypes.createStructField("_file", DataTypes.StringType, false),
                DataTypes.createStructField("_line", DataTypes.LongType, true),
                DataTypes.createStructField("_ingested_at", DataTypes.TimestampType, false),
                DataTypes.createStructField("column_name", DataTypes.StringType, true),
                DataTypes.createStructField("reason", DataTypes.StringType, false),
                DataTypes.createStructField("raw_text", DataTypes.StringType, true)));
        return new LoadSchemas(DataTypes.createStructType(raw), rejects, spec.declaredColumns().size(),
                spec.addedColumns().size());
    }
}
