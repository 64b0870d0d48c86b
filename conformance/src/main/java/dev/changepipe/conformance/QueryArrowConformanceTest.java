package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;

/**
 * {@code Engine.queryArrow}, which the SQL door streams to its clients, returns what {@code query} returns: the same
 * column names, the contract's Arrow type for each spec type, and the same values, NULLs included, for every table of
 * the pipeline. Its buffers are all given back when the reader closes.
 */
public abstract class QueryArrowConformanceTest extends ConformanceSuite {
    private static final String SPEC = """
            name: typed
            columns: {id: bigint, n: integer, d: double, m: decimal, s: varchar, b: boolean, day: date, ts: timestamp, tz: timestamptz}
            keys: [id]
            """;

    private static final Map<ColumnType, ArrowType> ARROW_TYPES = Map.of(
            ColumnType.BIGINT, new ArrowType.Int(64, true),
            ColumnType.INTEGER, new ArrowType.Int(32, true),
            ColumnType.DOUBLE, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
            ColumnType.DECIMAL, new ArrowType.Decimal(38, 9, 128),
            ColumnType.VARCHAR, ArrowType.Utf8.INSTANCE,
            ColumnType.BOOLEAN, ArrowType.Bool.INSTANCE,
            ColumnType.DATE, new ArrowType.Date(DateUnit.DAY),
            ColumnType.TIMESTAMP, new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
            ColumnType.TIMESTAMPTZ, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));

    @Test
    void everyTableReadsTheSameAsArrowAsThroughQuery() throws IOException {
        try (PipelineHarness pipeline = openPipeline(SPEC); BufferAllocator allocator = new RootAllocator()) {
            pipeline.deliver("typed_1.csv", """
                    id,n,d,m,s,b,day,ts,tz
                    1,42,2.5,10.25,hello,true,2024-03-01,2024-03-01 10:15:00,2024-03-01T10:15:00+02:00
                    2,-7,0.1,0.000000001,"a,b",no,1999-12-31,1999-12-31T23:59:59.123456,1999-12-31T23:59:59Z
                    3,,,,,,,,
                    """);
            pipeline.runUntilIdle();
            pipeline.deliver("typed_2.csv", """
                    id,n,d,m,s,b,day,ts,tz
                    1,43,2.5,-99999999999999999999999999999.999999999,ü€😀,false,1900-01-01,1969-12-31 23:59:59.5,1969-12-31T23:59:59.5-01:00
                    """);
            pipeline.runUntilIdle();
            var tables = pipeline.spec().tables();
            for (String table : List.of(tables.raw(), tables.current(), tables.history(), tables.rejects())) {
                String sql = "SELECT * FROM " + PipelineHarness.quote(table) + " ORDER BY 1, 2, 3";
                QueryResult expected = pipeline.engine().query(sql, List.of());
                try (ArrowReader reader = pipeline.engine().queryArrow(sql, allocator)) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    assertThat(root.getSchema().getFields()).extracting(f -> f.getName())
                            .as("columns of %s", table).isEqualTo(expected.columns());
                    pipeline.spec().columns().forEach((column, type) -> {
                        if (expected.columns().contains(column)) {
                            assertThat(root.getSchema().findField(column).getType())
                                    .as("Arrow type of %s.%s (%s)", table, column, type).isEqualTo(ARROW_TYPES.get(type));
                        }
                    });
                    assertThat(canonical(read(reader), expected.columns()))
                            .as("rows of %s", table).isEqualTo(canonical(expected.rows(), expected.columns()));
                }
                assertThat(allocator.getAllocatedMemory()).as("memory held after reading %s", table).isZero();
            }
            assertThat(Canonical.of(pipeline.engine().query("SELECT count(*) FROM " + PipelineHarness.quote(tables.history()),
                    List.of()).rows().get(0).get(0))).as("versions in the history compared").isEqualTo("4");
        }
    }

    @Test
    void aStatementThatDoesNotParseIsAUserError() {
        try (PipelineHarness pipeline = openPipeline(SPEC); BufferAllocator allocator = new RootAllocator()) {
            assertThatThrownBy(() -> {
                try (ArrowReader reader = pipeline.engine().queryArrow("SELEC 1", allocator)) {
                    reader.loadNextBatch();
                }
            }).isInstanceOf(ChangepipeException.class);
            assertThat(allocator.getAllocatedMemory()).isZero();
        }
    }

    private static List<List<Object>> read(ArrowReader reader) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        while (reader.loadNextBatch()) {
            for (int r = 0; r < root.getRowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (FieldVector vector : root.getFieldVectors()) {
                    row.add(value(vector, r));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A value as a JDBC driver would give it, so that {@link Canonical} reads both the same way. */
    private static Object value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof TimeStampMicroTZVector v) {
            return Instant.EPOCH.plus(v.get(row), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        }
        if (vector instanceof DateDayVector v) {
            return LocalDate.ofEpochDay(v.get(row));
        }
        Object value = vector.getObject(row);
        return value instanceof Text t ? t.toString() : value;
    }

    private static List<Map<String, String>> canonical(List<List<Object>> rows, List<String> columns) {
        List<Map<String, String>> canonical = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), Canonical.of(row.get(i), null));
            }
            canonical.add(values);
        }
        return canonical;
    }
}
