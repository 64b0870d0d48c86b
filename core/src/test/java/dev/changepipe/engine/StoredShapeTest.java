package dev.changepipe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.csv.RescuedBackfill;
import dev.changepipe.csv.RescuedBackfill.StoredRow;
import dev.changepipe.engine.ColumnRetyping.StoredText;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import dev.changepipe.sql.DuckDbDialect;
import dev.changepipe.sql.SqlDialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What start makes of a raw table an earlier spec made (rules 1.10–1.12), read from a raw table held in memory. */
class StoredShapeTest {
    private static final String SPEC = """
            name: people
            landing: landing
            columns: {id: bigint, name: varchar, seq: bigint%s}
            keys: [id]
            sequence_by: seq
            %s
            """;

    private static PipelineSpec spec(String extraColumns, String rest) {
        return SpecLoader.parse(SPEC.formatted(extraColumns, rest), Path.of("specs"), "people.yaml");
    }

    private static final SqlDialect DIALECT = new DuckDbDialect(spec("", "").tables());

    /** A raw table of id, name, seq, the row columns and then any columns files added; rows as (file, line, rescued, added). */
    private static final class Raw implements StoredShape.RawReads {
        final Map<String, String> columns = new LinkedHashMap<>();
        final List<StoredRow> rows = new ArrayList<>();
        final Map<String, List<StoredText>> texts = new LinkedHashMap<>();
        final List<String> reads = new ArrayList<>();

        Raw(String... added) {
            for (String column : List.of("id", "name", "seq", "_file_id", "_line")) {
                columns.put(column, "BIGINT");
            }
            columns.put("name", "VARCHAR");
            columns.put("_rescued", "VARCHAR");
            for (String column : added) {
                columns.put(column, "VARCHAR");
            }
        }

        @Override
        public Set<String> rescuedKeys() {
            reads.add("keys");
            Set<String> keys = new LinkedHashSet<>();
            rows.forEach(r -> keys.addAll(RescuedBackfill.keys(r.rescued())));
            return keys;
        }

        @Override
        public List<StoredRow> rescuedRows() {
            reads.add("rows");
            return rows;
        }

        @Override
        public List<StoredText> texts(String column) {
            reads.add("texts " + column);
            return texts.getOrDefault(column, List.of());
        }
    }

    @Test
    void aRawTableThatMatchesTheSpecChangesNothingAndIsNotRead() {
        Raw raw = new Raw();
        raw.rows.add(new StoredRow(1, "a.csv", 2, "{\"phone\":\"1\"}"));
        StoredShape shape = StoredShape.of(spec("", ""), raw.columns, raw, DIALECT);

        assertThat(shape.joining()).isEmpty();
        assertThat(shape.rederives()).isFalse();
        assertThat(raw.reads).as("under rescue with nothing declared later, the rescued values are not read").isEmpty();
    }

    @Test
    void underAddEveryRescuedKeyThatCanBeAColumnJoinsAsFirstSpelledInLoadOrder() {
        Raw raw = new Raw();
        raw.rows.add(new StoredRow(1, "a.csv", 2, "{\"Phone\":\"1\",\"_c4\":\"x\",\"end_time\":\"y\"}"));
        raw.rows.add(new StoredRow(2, "b.csv", 2, "{\"fax\":\"2\",\"PHONE\":\"3\"}"));
        StoredShape shape = StoredShape.of(spec("", "schema: {new_columns: add}"), raw.columns, raw, DIALECT);

        assertThat(shape.joining()).containsExactly("Phone", "fax");
        assertThat(shape.spec().addedColumns()).containsExactly("Phone", "fax");
        assertThat(shape.filledColumns()).containsExactly("Phone", "fax");
        assertThat(shape.filled()).extracting(RescuedBackfill.FilledRow::rescued)
                .containsExactly("{\"_c4\":\"x\",\"end_time\":\"y\"}", null);
        assertThat(shape.rederives()).isTrue();
    }

    @Test
    void aDeclaredColumnTheRawTableLacksJoinsWithItsTypeAfterTheColumnsFilesAdded() {
        Raw raw = new Raw("fax");
        raw.rows.add(new StoredRow(1, "a.csv", 2, "{\"phone\":\"5\"}"));
        StoredShape shape = StoredShape.of(spec(", phone: integer", ""), raw.columns, raw, DIALECT);

        assertThat(shape.joining()).containsExactly("phone");
        assertThat(shape.spec().addedColumns()).containsExactly("fax", "phone");
        assertThat(List.copyOf(shape.spec().columns().keySet())).containsExactly("id", "name", "seq", "fax", "phone");
        assertThat(shape.spec().typeOf("phone")).isEqualTo(ColumnType.INTEGER);
        assertThat(shape.filled()).extracting(RescuedBackfill.FilledRow::values).containsExactly(List.of(5));
        assertThat(TableColumns.raw(shape.spec(), DIALECT)).containsEntry("phone", "INTEGER");
    }

    @Test
    void aTypeGivenToAColumnFilesAddedReadsEveryStoredValueAndNamesTheFirstThatDoesNotRead() {
        Raw raw = new Raw("phone");
        raw.texts.put("phone", List.of(new StoredText("a.csv", 2, "007"), new StoredText("a.csv", 3, "7")));
        StoredShape shape = StoredShape.of(spec(", phone: integer", ""), raw.columns, raw, DIALECT);

        assertThat(shape.joining()).isEmpty();
        assertThat(shape.retyped()).containsExactly(Map.entry("phone", Map.of("007", 7, "7", 7)));
        assertThat(shape.rederives()).isTrue();

        raw.texts.put("phone", List.of(new StoredText("a.csv", 2, "7"), new StoredText("b.csv", 9, "n/a")));
        assertThatThrownBy(() -> StoredShape.of(spec(", phone: integer", ""), raw.columns, raw, DIALECT))
                .isInstanceOf(ChangepipeException.class)
                .hasMessageContaining("b.csv line 9 has 'n/a', which cannot be read as integer (rule 1.11)");
    }

    @Test
    void aKeyOrTheSequenceColumnTheTablesLackIsRefusedNamingIt() {
        Raw raw = new Raw();
        raw.columns.remove("seq");
        assertThatThrownBy(() -> StoredShape.of(spec("", ""), raw.columns, raw, DIALECT))
                .isInstanceOf(ChangepipeException.class)
                .hasMessageStartingWith("column seq is declared but table people_raw has no such column: a key or the"
                        + " sequence_by column cannot join a pipeline's tables");
    }
}
