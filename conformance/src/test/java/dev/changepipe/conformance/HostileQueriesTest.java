package dev.changepipe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileQueriesTest {
    private static final Map<String, String> TABLES = Map.of("raw", "\"r\"", "rejects", "\"j\"", "current", "\"c\"",
            "history", "\"h\"", "changes", "\"x\"", "current_name", "c", "key", "\"k\"");

    @TempDir
    Path dir;

    @Test
    void everyLineOfTheCorpusParsesAndEveryPlaceholderHasAValue() {
        HostileQueries.Corpus corpus = HostileQueries.Corpus.around(dir, dir.resolve("warehouse"), TABLES);
        List<HostileQueries.Query> all = HostileQueries.all();
        assertThat(all).hasSizeGreaterThan(100);
        for (HostileQueries.Query query : all) {
            assertThat(query.sql(corpus.values(query.line()))).as(query.toString()).doesNotContain("{").doesNotContain("}");
        }
    }

    @Test
    void eachEngineIsTriedAtEveryKindOfAttemptAndHasReadsThatMustWork() {
        for (String engine : List.of("duckdb", "spark")) {
            assertThat(HostileQueries.of(engine)).as(engine).extracting(HostileQueries.Query::attempt)
                    .contains("write-file", "read-file", "attach", "setting", "extension", "environment", "create",
                            "drop", "insert", "update", "delete", "checkpoint", "read-table", "read-bookkeeping");
        }
        assertThat(HostileQueries.of("duckdb")).extracting(HostileQueries.Query::attempt).contains("commit", "export-database");
    }

    @Test
    void theSecretIsOutsideTheWarehouseAndTargetsAreFreshPaths() {
        HostileQueries.Corpus corpus = HostileQueries.Corpus.around(dir, dir.resolve("warehouse"), TABLES);
        assertThat(corpus.secretFile()).exists().content().contains(corpus.secret());
        assertThat(corpus.secretFile().startsWith(corpus.warehouse())).isFalse();
        Path target = Path.of(corpus.values(7).get("target"));
        assertThat(target).doesNotExist();
        assertThat(target.getParent()).isEqualTo(corpus.stolen()).isDirectory();
        assertThat(corpus.values(7).get("target")).isNotEqualTo(corpus.values(8).get("target"));
    }
}
