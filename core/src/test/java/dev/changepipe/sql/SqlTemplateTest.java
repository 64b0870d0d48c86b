package dev.changepipe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.changepipe.sql.SqlTemplate.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTemplateTest {

    @Test
    void fragmentsAreFilled() {
        SqlTemplate t = SqlTemplate.of("t.sql", "SELECT {{columns}} FROM {{table}} WHERE {{columns}} IS NOT NULL");

        Statement s = t.single(Map.of("columns", "\"a\"", "table", "\"users\""));

        assertThat(s.sql()).isEqualTo("SELECT \"a\" FROM \"users\" WHERE \"a\" IS NOT NULL");
        assertThat(s.parameters()).isEmpty();
    }

    @Test
    void fragmentValuesAreInsertedLiterally() {
        Statement s = SqlTemplate.of("t.sql", "SELECT {{x}}").single(Map.of("x", "'$1 \\\\ $0'"));

        assertThat(s.sql()).isEqualTo("SELECT '$1 \\\\ $0'");
    }

    @Test
    void aMissingFragmentFailsNamingIt() {
        SqlTemplate t = SqlTemplate.of("merge.sql", "INSERT INTO {{target}} SELECT {{columns}} FROM x");

        assertThatThrownBy(() -> t.render(Map.of("target", "\"t\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{columns}}")
                .hasMessageContaining("merge.sql");
    }

    @Test
    void parametersBecomeQuestionMarksWithTheirNamesInOrder() {
        Statement s = SqlTemplate.of("t.sql", "UPDATE t SET a = :value, b = :file_id WHERE id = :key AND c = :value")
                .single(Map.of());

        assertThat(s.sql()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE id = ? AND c = ?");
        assertThat(s.parameters()).containsExactly("value", "file_id", "key", "value");
    }

    @Test
    void castsWithDoubleColonsAreUntouched() {
        Statement s = SqlTemplate.of("t.sql", "SELECT x::BIGINT, y::varchar, :v::timestamp, CAST(:w AS date) FROM t")
                .single(Map.of());

        assertThat(s.sql()).isEqualTo("SELECT x::BIGINT, y::varchar, ?::timestamp, CAST(? AS date) FROM t");
        assertThat(s.parameters()).containsExactly("v", "w");
    }

    @Test
    void wordsContainingColonsAreNotParameters() {
        Statement s = SqlTemplate.of("t.sql", "SELECT 'a:b', '10:30' FROM t WHERE x = :x").single(Map.of());

        assertThat(s.sql()).isEqualTo("SELECT 'a:b', '10:30' FROM t WHERE x = ?");
        assertThat(s.parameters()).containsExactly("x");
    }

    @Test
    void commentLinesAreDroppedWithTheirHolesAndSemicolons() {
        String text = """
                -- loads {{nothing}} for :nobody;
                SELECT 1;
                  -- an indented comment;
                SELECT :two;
                """;

        List<Statement> statements = SqlTemplate.of("t.sql", text).render(Map.of());

        assertThat(statements).extracting(Statement::sql).containsExactly("SELECT 1", "SELECT ?");
        assertThat(statements.get(0).parameters()).isEmpty();
        assertThat(statements.get(1).parameters()).containsExactly("two");
    }

    @Test
    void statementsAreSplitOnSemicolonsAtLineEnd() {
        String text = """
                CREATE TABLE {{t}} (a INT);

                INSERT INTO {{t}}
                VALUES (:a);\t
                SELECT 'x;y', ';' FROM {{t}};
                UPDATE {{t}} SET a = 1""";

        List<Statement> statements = SqlTemplate.of("t.sql", text).render(Map.of("t", "\"tab\""));

        assertThat(statements).extracting(Statement::sql).containsExactly(
                "CREATE TABLE \"tab\" (a INT)",
                "INSERT INTO \"tab\"\nVALUES (?)",
                "SELECT 'x;y', ';' FROM \"tab\"",
                "UPDATE \"tab\" SET a = 1");
        assertThat(statements).extracting(Statement::parameters)
                .containsExactly(List.of(), List.of("a"), List.of(), List.of());
    }

    @Test
    void aSemicolonWithinALineDoesNotSplit() {
        List<Statement> statements = SqlTemplate.of("t.sql", "SELECT 1; SELECT 2\n").render(Map.of());

        assertThat(statements).extracting(Statement::sql).containsExactly("SELECT 1; SELECT 2");
    }

    @Test
    void singleRefusesAScriptOfSeveralStatements() {
        SqlTemplate t = SqlTemplate.of("two.sql", "SELECT 1;\nSELECT 2;\n");

        assertThatThrownBy(() -> t.single(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two.sql").hasMessageContaining("2");
    }

    @Test
    void bindOrdersValuesByParameter() {
        Statement s = SqlTemplate.of("t.sql", "SELECT :b, :a, :b").single(Map.of());
        Map<String, Object> values = new HashMap<>();
        values.put("a", 1L);
        values.put("b", "two");
        values.put("unused", 3);

        assertThat(s.bind(values)).containsExactly("two", 1L, "two");
    }

    @Test
    void bindAcceptsANullValue() {
        Statement s = SqlTemplate.of("t.sql", "SELECT :a").single(Map.of());
        Map<String, Object> values = new HashMap<>();
        values.put("a", null);

        assertThat(s.bind(values)).containsExactly((Object) null);
    }

    @Test
    void bindFailsOnAMissingValue() {
        Statement s = SqlTemplate.of("t.sql", "SELECT :present, :absent").single(Map.of());

        assertThatThrownBy(() -> s.bind(Map.of("present", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":absent");
    }

    @Test
    void loadingAMissingResourceFailsNamingIt() {
        assertThatThrownBy(() -> SqlTemplate.load(SqlTemplateTest.class, "no-such-template.sql"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-template.sql");
    }
}
