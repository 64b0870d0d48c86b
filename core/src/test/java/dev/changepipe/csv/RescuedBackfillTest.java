package dev.changepipe.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.csv.RescuedBackfill.FilledRow;
import dev.changepipe.csv.RescuedBackfill.StoredRow;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rescued values moved into columns (rule 1.12): typed as a file's fields, and what is left written as the reader writes it. */
class RescuedBackfillTest {
    private static Map<String, ColumnType> columns(Object... nameAndType) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            columns.put((String) nameAndType[i], (ColumnType) nameAndType[i + 1]);
        }
        return columns;
    }

    @Test
    void aRowsFieldsMoveByKeyIgnoringCaseAndWhatIsLeftKeepsItsOrderAndBytes() {
        List<FilledRow> filled = RescuedBackfill.fill("raw", columns("phone", ColumnType.VARCHAR, "since", ColumnType.DATE),
                List.of(new StoredRow(1, "a.csv", 2, "{\"fax\":\"1 \\\"2\\\"\",\"PHONE\":\"555\",\"_c7\":null,\"since\":\"2024-02-29\"}"),
                        new StoredRow(1, "a.csv", 3, "{\"fax\":\"9\"}"),
                        new StoredRow(2, "b.csv", 2, "{\"phone\":null,\"_c3\":null}")));

        assertThat(filled).containsExactly(
                new FilledRow(1, 2, "{\"fax\":\"1 \\\"2\\\"\",\"_c7\":null}", List.of("555", LocalDate.of(2024, 2, 29))),
                // Nothing but NULLs left: nothing to keep, as the reader would have written it.
                new FilledRow(2, 2, null, Arrays.asList(null, null)));
    }

    @Test
    void aValueThatDoesNotReadAsItsColumnsTypeNamesTheFileLineAndValue() {
        assertThatThrownBy(() -> RescuedBackfill.fill("people_raw", columns("age", ColumnType.INTEGER),
                List.of(new StoredRow(1, "a.csv", 2, "{\"age\":\"41\"}"), new StoredRow(3, "c.csv", 7, "{\"age\":\"forty\"}"))))
                .isInstanceOf(ChangepipeException.class)
                .hasMessage("column age of table people_raw cannot take the values files brought for it before the spec"
                        + " declared it: c.csv line 7 has 'forty' (in _rescued), which cannot be read as integer (rule 1.12);"
                        + " declare it as varchar, or as a type every such value reads as");
    }

    @Test
    void keysAreReadInTheOrderTheHeaderHadThem() {
        assertThat(RescuedBackfill.keys("{\"b\":\"1\",\"a\":null,\"C\":\"\"}")).containsExactly("b", "a", "C");
    }
}
