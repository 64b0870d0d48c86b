package dev.changepipe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.TableNames;
import dev.changepipe.sql.DuckDbDialect;
import dev.changepipe.sql.SqlDialect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check of a table made by an earlier spec: equal columns, widened types (rule 1.9), and everything else refused. */
class TableColumnsTest {
    private static final SqlDialect DIALECT = new DuckDbDialect(new TableNames("people_raw", "people", "people_history"));

    private static Map<String, String> columns(String ageType) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "BIGINT");
        columns.put("age", ageType);
        return columns;
    }

    private static String type(ColumnType type) {
        return DIALECT.typeName(type);
    }

    @Test
    void equalColumnsNeedNothingAndNamesAndTypesAreComparedIgnoringCase() {
        Map<String, String> have = new LinkedHashMap<>(Map.of("ID", "bigint"));
        assertThat(TableColumns.check("t", "w", have, Map.of("id", "BIGINT"), List.of(), DIALECT)).isEmpty();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"INTEGER, BIGINT", "INTEGER, DECIMAL", "INTEGER, DOUBLE", "BIGINT, DECIMAL"})
    void aWidenedTypeIsReturnedForTheEngineToMigrate(ColumnType from, ColumnType to) {
        assertThat(TableColumns.check("t", "w", columns(type(from)), columns(type(to)), List.of(), DIALECT))
                .containsExactly(new TableColumns.TypeChange("t", "age", type(to), TableColumns.TypeChange.Kind.WIDEN));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"BIGINT, INTEGER", "DECIMAL, BIGINT", "DOUBLE, INTEGER"})
    void aNarrowedTypeIsRefusedNamingTheColumnAndBothTypes(ColumnType from, ColumnType to) {
        assertThatThrownBy(() -> TableColumns.check("t", "w", columns(type(from)), columns(type(to)), List.of(), DIALECT))
                .isInstanceOf(ChangepipeException.class)
                .hasMessage("column age of table t in warehouse w is " + from.specName() + " but the spec says "
                        + to.specName() + ": narrowing a type could change stored values, so it is refused; keep "
                        + from.specName() + " in the spec, or use a new warehouse");
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"BIGINT, DOUBLE", "VARCHAR, BIGINT", "DATE, TIMESTAMP"})
    void anyOtherChangeOfATypeIsRefusedWithBothColumnLists(ColumnType from, ColumnType to) {
        assertThatThrownBy(() -> TableColumns.check("t", "w", columns(type(from)), columns(type(to)), List.of(), DIALECT))
                .isInstanceOf(ChangepipeException.class)
                .hasMessageStartingWith("table t in warehouse w has columns (id BIGINT, age " + type(from) + ")");
    }

    @ParameterizedTest(name = "varchar to {0}")
    @CsvSource({"BIGINT", "DATE", "BOOLEAN", "TIMESTAMPTZ"})
    void aTypeGivenToAVarcharColumnFilesAddedIsReturnedForTheEngineToParse(ColumnType to) {
        assertThat(TableColumns.check("t", "w", columns(type(ColumnType.VARCHAR)), columns(type(to)), List.of("AGE"), DIALECT))
                .containsExactly(new TableColumns.TypeChange("t", "age", type(to), TableColumns.TypeChange.Kind.PARSE));
        assertThatThrownBy(() -> TableColumns.check("t", "w", columns(type(ColumnType.VARCHAR)), columns(type(to)),
                List.of("city"), DIALECT))
                .as("a declared column is never typed so").hasMessageStartingWith("table t in warehouse w has columns");
    }

    @Test
    void aColumnAddedOrDroppedIsRefused() {
        Map<String, String> more = columns("INTEGER");
        more.put("city", "VARCHAR");
        for (Map<String, String> want : List.of(more, Map.of("id", "BIGINT"))) {
            assertThatThrownBy(() -> TableColumns.check("t", "w", columns("INTEGER"), want, List.of(), DIALECT))
                    .isInstanceOf(ChangepipeException.class)
                    .hasMessageContaining("changing the columns of an existing pipeline is not supported");
        }
    }
}
