package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void parsesTheFixtureFormWithNullsAndPrintsItBack() {
        Table table = Table.parse("""
                id | name | city
                1  | Ann  | null
                10 | Bob  | Oslo
                """);
        assertThat(table.columns()).containsExactly("id", "name", "city");
        assertThat(table.rows()).containsExactly(Arrays.asList("1", "Ann", null), List.of("10", "Bob", "Oslo"));
        assertThat(Table.parse(table.toString())).isEqualTo(table);
    }

    @Test
    void aHeaderAloneIsAnEmptyTable() {
        Table table = Table.parse("id | name");
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.columns()).containsExactly("id", "name");
    }

    @Test
    void sortsByTheLeadingColumnsNumbersByValueThenByTheRest() {
        Table table = Table.parse("""
                id | start | city
                10 | 1     | Oslo
                9  | 5     | Rome
                9  | 3     | Lima
                9  | 3     | Kyiv
                """);
        assertThat(table.sortedBy(List.of("id", "start")).column("city")).containsExactly("Kyiv", "Lima", "Rome", "Oslo");
    }

    @Test
    void projectsFiltersAndResolvesPlaceholders() {
        Table table = Table.parse("""
                id | start     | end
                1  | @a.csv    | @b.csv
                2  | @b.csv    | null
                """);
        Table resolved = table.resolve(name -> name.equals("a.csv") ? "T1" : "T2");
        assertThat(resolved.project(List.of("end", "id"))).isEqualTo(Table.parse("""
                end  | id
                T2   | 1
                null | 2
                """));
        assertThat(resolved.where("end", null).column("id")).containsExactly("2");
    }

    @Test
    void refusesARowOfTheWrongWidth() {
        assertThatThrownBy(() -> Table.parse("""
                id | name
                1
                """)).isInstanceOf(IllegalArgumentException.class);
    }
}
