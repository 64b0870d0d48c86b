package dev.changepipe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTemplateTest {

    private static Map<String, Sql> texts(String... nameAndText) {
        Map<String, Sql> pieces = new HashMap<>();
        for (int i = 0; i < nameAndText.length; i += 2) {
            pieces.put(nameAndText[i], Sql.text(nameAndText[i + 1]));
        }
        return pieces;
    }

    @Test
    void fragmentsAreFilled() {
        SqlTemplate t = SqlTemplate.of("t.sql", "SELECT {{columns}} FROM {{table}} WHERE {{columns}} IS NOT NULL");

        Sql s = t.single(texts("columns", "\"a\"", "table", "\"users\""));

        assertThat(s.placeholderText()).isEqualTo("SELECT \"a\" FROM \"users\" WHERE \"a\" IS NOT NULL");
        assertThat(s.values(Map.of())).isEmpty();
    }

    @Test
    void fragmentValuesAreInsertedLiterally() {
        Sql s = SqlTemplate.of("t.sql", "SELECT {{x}}").single(texts("x", "'$1 \\\\ $0'"));

        assertThat(s.placeholderText()).isEqualTo("SELECT '$1 \\\\ $0'");
    }

    @Test
    void aMissingFragmentFailsNamingIt() {
        SqlTemplate t = SqlTemplate.of("merge.sql", "INSERT INTO {{target}} SELECT {{columns}} FROM x");

        assertThatThrownBy(() -> t.render(texts("target", "\"t\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{columns}}")
                .hasMessageContaining("merge.sql");
    }

    @Test
    void parametersBecomeQuestionMarksWithTheirNamesInOrder() {
        Sql s = SqlTemplate.of("t.sql", "UPDATE t SET a = :value, b = :file_id WHERE id = :key AND c = :value")
                .single(Map.of());

        assertThat(s.placeholderText()).isEqualTo("UPDATE t SET a = ?, b = ? WHERE id = ? AND c = ?");
        assertThat(s.toString()).isEqualTo("UPDATE t SET a = :value, b = :file_id WHERE id = :key AND c = :value");
        assertThat(s.values(Map.of("value", 1, "file_id", 2, "key", 3))).containsExactly(1, 2, 3, 1);
    }

    @Test
    void castsWithDoubleColonsAreUntouched() {
        Sql s = SqlTemplate.of("t.sql", "SELECT x::BIGINT, y::varchar, :v::timestamp, CAST(:w AS date) FROM t")
                .single(Map.of());

        assertThat(s.placeholderText()).isEqualTo("SELECT x::BIGINT, y::varchar, ?::timestamp, CAST(? AS date) FROM t");
        assertThat(s.values(Map.of("v", "a", "w", "b"))).containsExactly("a", "b");
    }

    @Test
    void colonsInQuotesAreNotParameters() {
        Sql s = SqlTemplate.of("t.sql", "SELECT 'a:b', ':c', \":d\", `:e`, 'it''s :f' FROM t WHERE x = :x").single(Map.of());

        assertThat(s.placeholderText()).isEqualTo("SELECT 'a:b', ':c', \":d\", `:e`, 'it''s :f' FROM t WHERE x = ?");
        assertThat(s.values(Map.of("x", 1))).containsExactly(1);
    }

    @Test
    void commentsAreDroppedWithTheirHolesAndSemicolons() {
        String text = """
                -- loads {{nothing}} for :nobody;
                SELECT 1;
                  -- an indented comment;
                SELECT :two; -- a comment after a statement, with 'quotes and ; and :words
                """;

        List<Sql> statements = SqlTemplate.of("t.sql", text).render(Map.of());

        assertThat(statements).extracting(Sql::placeholderText).containsExactly("SELECT 1", "SELECT ?");
        assertThat(statements.get(1).values(Map.of("two", 2))).containsExactly(2);
    }

    @Test
    void statementsAreSplitOnSemicolonsOutsideQuotes() {
        String text = """
                CREATE TABLE {{t}} (a INT);

                INSERT INTO {{t}}
                VALUES (:a);\t
                SELECT 'x;y', ';', "a;b" FROM {{t}}; SELECT 2;
                UPDATE {{t}} SET a = 1""";

        List<Sql> statements = SqlTemplate.of("t.sql", text).render(texts("t", "\"tab\""));

        assertThat(statements).extracting(Sql::toString).containsExactly(
                "CREATE TABLE \"tab\" (a INT)",
                "INSERT INTO \"tab\"\nVALUES (:a)",
                "SELECT 'x;y', ';', \"a;b\" FROM \"tab\"",
                "SELECT 2",
                "UPDATE \"tab\" SET a = 1");
    }

    /** What a piece holds is never read again: a parameter, a hole, a statement end or a comment in it stays text or value. */
    @Test
    void piecesAreNeverScannedForHolesParametersOrStatementEnds() {
        Sql condition = Sql.builder().text("(\"op\" = ").value(":delete;\n--{{raw}} ? $1").text(")").build();
        Map<String, Sql> pieces = new HashMap<>(texts("raw", "\"r\"", "note", "':x'; -- :y {{raw}}"));
        pieces.put("condition", condition);

        List<Sql> statements = SqlTemplate.of("t.sql", "SELECT {{note}} FROM {{raw}} WHERE {{condition}} AND id > :from;")
                .render(pieces);

        assertThat(statements).hasSize(1);
        Sql s = statements.get(0);
        assertThat(s.placeholderText()).isEqualTo("SELECT ':x'; -- :y {{raw}} FROM \"r\" WHERE (\"op\" = ?) AND id > ?");
        assertThat(s.values(Map.of("from", 7L))).containsExactly(":delete;\n--{{raw}} ? $1", 7L);
    }

    @Test
    void onlyAPieceOfTextIsPlainText() {
        assertThat(Sql.text("\"users\"").plainText()).isEqualTo("\"users\"");
        assertThatThrownBy(() -> Sql.builder().text("op = ").value("D").build().plainText())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Sql.parameter("to_file").plainText()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void singleRefusesAScriptOfSeveralStatements() {
        SqlTemplate t = SqlTemplate.of("two.sql", "SELECT 1;\nSELECT 2;\n");

        assertThatThrownBy(() -> t.single(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two.sql").hasMessageContaining("2");
    }

    @Test
    void valuesAreOrderedByParameterAndMayBeNull() {
        Sql s = SqlTemplate.of("t.sql", "SELECT :b, :a, :b").single(Map.of());
        Map<String, Object> values = new HashMap<>();
        values.put("a", null);
        values.put("b", "two");
        values.put("unused", 3);

        assertThat(s.values(values)).containsExactly("two", null, "two");
    }

    @Test
    void aMissingValueFailsNamingTheParameterAndNotTheStatement() {
        Sql s = SqlTemplate.of("t.sql", "SELECT :present, :absent FROM secret_table").single(Map.of());

        assertThatThrownBy(() -> s.values(Map.of("present", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":absent")
                .hasMessageNotContaining("secret_table");
    }

    @Test
    void anUnterminatedQuoteInATemplateFailsWhenLoaded() {
        assertThatThrownBy(() -> SqlTemplate.of("bad.sql", "SELECT 'open"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.sql");
    }

    @Test
    void loadingAMissingResourceFailsNamingIt() {
        assertThatThrownBy(() -> SqlTemplate.load(SqlTemplateTest.class, "no-such-template.sql"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-template.sql");
    }
}
