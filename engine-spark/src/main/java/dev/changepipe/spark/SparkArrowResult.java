package dev.changepipe.spark;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A collected Spark result as Arrow batches, in the types {@code Engine.queryArrow} promises. A small converter of its
 * own rather than Spark's: {@code Dataset.toArrowBatchRdd} is internal API whose string and timestamp types follow
 * session settings ({@code useLargeVarTypes}, the session zone), and the rows are collected to the driver anyway.
 * Types the pipeline's tables never hold (arrays, maps, structs, binary) arrive as their text.
 */
final class SparkArrowResult extends ArrowReader {
    private static final int BATCH_ROWS = 16_384;

    private final StructType sparkSchema;
    private final List<Row> rows;
    private int next;

    SparkArrowResult(BufferAllocator allocator, StructType sparkSchema, List<Row> rows) {
        super(allocator);
        this.sparkSchema = sparkSchema;
        this.rows = rows;
    }

    static Schema arrowSchema(StructType schema) {
        List<Field> fields = new ArrayList<>();
        for (StructField field : schema.fields()) {
            fields.add(new Field(field.name(), new FieldType(true, arrowType(field.dataType()), null), null));
        }
        return new Schema(fields);
    }

    private static ArrowType arrowType(DataType type) {
        if (type instanceof LongType) {
            return new ArrowType.Int(64, true);
        }
        if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
            return new ArrowType.Int(32, true);
        }
        if (type instanceof DoubleType || type instanceof FloatType) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        }
        if (type instanceof DecimalType d) {
            return new ArrowType.Decimal(d.precision(), d.scale(), 128);
        }
        if (type instanceof BooleanType) {
            return ArrowType.Bool.INSTANCE;
        }
        if (type instanceof DateType) {
            return new ArrowType.Date(DateUnit.DAY);
        }
        if (type instanceof TimestampType) {
            return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        }
        if (type instanceof TimestampNTZType) {
            return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        }
        return ArrowType.Utf8.INSTANCE;
    }

    @Override
    protected Schema readSchema() {
        return arrowSchema(sparkSchema);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        // An empty result still sends one empty batch, so a client sees the schema and no rows.
        if (next >= rows.size() && !(next == 0 && rows.isEmpty())) {
            return false;
        }
        VectorSchemaRoot root = getVectorSchemaRoot();
        int end = Math.min(rows.size(), next + BATCH_ROWS);
        int count = end - next;
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
            FieldVector vector = root.getVector(c);
            vector.setInitialCapacity(count);
            vector.allocateNew();
            for (int r = 0; r < count; r++) {
                set(vector, r, rows.get(next + r).get(c));
            }
            vector.setValueCount(count);
        }
        root.setRowCount(count);
        next = rows.isEmpty() ? 1 : end;
        return true;
    }

    private static void set(FieldVector vector, int index, Object value) {
        if (value == null) {
            vector.setNull(index);
        } else if (vector instanceof BigIntVector v) {
            v.setSafe(index, ((Number) value).longValue());
        } else if (vector instanceof IntVector v) {
            v.setSafe(index, ((Number) value).intValue());
        } else if (vector instanceof Float8Vector v) {
            v.setSafe(index, ((Number) value).doubleValue());
        } else if (vector instanceof DecimalVector v) {
            v.setSafe(index, ((BigDecimal) value).setScale(v.getScale(), RoundingMode.UNNECESSARY));
        } else if (vector instanceof BitVector v) {
            v.setSafe(index, (Boolean) value ? 1 : 0);
        } else if (vector instanceof DateDayVector v) {
            v.setSafe(index, Math.toIntExact(date(value).toEpochDay()));
        } else if (vector instanceof TimeStampMicroTZVector v) {
            v.setSafe(index, ChronoUnit.MICROS.between(Instant.EPOCH, instant(value)));
        } else if (vector instanceof TimeStampMicroVector v) {
            v.setSafe(index, ChronoUnit.MICROS.between(Instant.EPOCH, ((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
        } else {
            ((VarCharVector) vector).setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The session reads dates and instants as java.time (java8API); java.sql types if a caller's session does not. */
    private static LocalDate date(Object value) {
        return value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    private static Instant instant(Object value) {
        return value instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) value;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        // The rows are on the heap; the vectors are closed with the reader's root.
    }
}
