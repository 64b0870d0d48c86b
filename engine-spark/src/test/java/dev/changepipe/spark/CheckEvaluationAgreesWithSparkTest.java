package dev.changepipe.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.conformance.CheckAgreementCases;
import dev.changepipe.spec.predicate.Predicate;
import dev.changepipe.sql.SparkDialect;
import dev.changepipe.sql.SqlDialect;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CheckAgreementCases} on Spark: the Java evaluation of each condition and its Spark SQL, as the Spark dialect
 * renders and inlines it, answer alike over the rows typed as the engine stores them (its Spark types, instants for
 * timestamptz). A temporary view of the rows is enough: the comparison is Spark SQL's, whatever the table format.
 */
class CheckEvaluationAgreesWithSparkTest {
    private static final String VIEW = "check_agreement_rows";

    static SparkSession session;

    @BeforeAll
    static void load() {
        Map<String, String> conf = new HashMap<>();
        ((Map<?, ?>) SparkTestEngine.OPTIONS.get("conf")).forEach((k, v) -> conf.put(k.toString(), v.toString()));
        session = SparkSessions.shared((String) SparkTestEngine.OPTIONS.get("master"), conf).newSession();
        // The engine's SQL settings, set on this session whatever application it joined.
        SparkSessions.requiredConf().forEach((key, value) -> {
            if (key.startsWith("spark.sql.") && !key.equals("spark.sql.extensions") && !key.startsWith("spark.sql.catalog")) {
                session.conf().set(key, value);
            }
        });
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("row_no", DataTypes.IntegerType, false));
        CheckAgreementCases.COLUMNS.forEach((name, type) -> fields.add(DataTypes.createStructField(name, SparkSchema.dataType(type), true)));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < CheckAgreementCases.ROWS.size(); r++) {
            List<Object> values = new ArrayList<>();
            values.add(r);
            for (Object value : CheckAgreementCases.typed(CheckAgreementCases.ROWS.get(r)).values()) {
                // As the engine's load stores it: the session reads and writes instants.
                values.add(value instanceof OffsetDateTime t ? t.toInstant() : value);
            }
            rows.add(RowFactory.create(values.toArray()));
        }
        session.createDataFrame(rows, DataTypes.createStructType(fields)).createOrReplaceTempView(VIEW);
    }

    @AfterAll
    static void close() {
        session.catalog().dropTempView(VIEW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.changepipe.conformance.CheckAgreementCases#conditions")
    void theJavaEvaluationEqualsTheSparkSqlRenderingRowForRow(String condition) {
        Predicate predicate = CheckAgreementCases.parse(condition);
        SqlDialect dialect = new SparkDialect(role -> VIEW);
        SqlDialect.Executable sql = dialect.executable(predicate.toSql(dialect::quote), Map.of());
        String select = SparkDialect.inline("SELECT row_no, " + sql.text() + " FROM " + VIEW + " ORDER BY row_no", sql.values());
        Map<Integer, Boolean> bySql = new HashMap<>();
        SparkSession.setActiveSession(session);
        try {
            for (Row row : session.sql(select).collectAsList()) {
                bySql.put(row.getInt(0), row.isNullAt(1) ? null : row.getBoolean(1));
            }
        } finally {
            SparkSession.clearActiveSession();
        }
        assertThat(bySql).hasSize(CheckAgreementCases.ROWS.size());
        assertThat(CheckAgreementCases.differences(predicate, bySql, "Spark")).as(select).isEmpty();
    }
}
