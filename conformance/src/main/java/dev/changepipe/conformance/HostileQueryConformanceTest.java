package dev.changepipe.conformance;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.error.ErrorCategory;
import dev.changepipe.ledger.LedgerQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Read-only means read-only: every statement of the hostile-query corpus ({@link HostileQueries}) goes through
 * {@link Engine#query} of one pipeline with loaded tables, and each must be refused with a user error (or, for a read,
 * answer without the secret file's contents); no file appears outside the warehouse; the tables, the ledger and the
 * offsets are as before; and the corpus's ordinary reads answer the same before and after.
 */
public abstract class HostileQueryConformanceTest extends ConformanceSuite {

    @Test
    void noQueryOfTheCorpusWritesReadsOrAttachesAnythingButThePipelinesTables() throws IOException {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            pipeline.deliver("people_1.csv", People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n");
            pipeline.deliver("people_2.csv", People.HEADER + "\n2,Bob,Paris,U,2\n3,Cy,Lima,U,1\n");
            pipeline.runUntilIdle();
            HostileQueries.Corpus corpus = HostileQueries.Corpus.around(workDir, pipeline.spec().engine().path(), pipeline.spec());
            Engine engine = pipeline.engine();
            Object before = state(engine);
            Set<String> filesBefore = corpus.filesOutsideTheWarehouse(workDir);
            List<HostileQueries.Query> queries = HostileQueries.of(engineType());
            Map<String, QueryResult> readsBefore = reads(engine, corpus, queries);

            SoftAssertions softly = new SoftAssertions();
            for (HostileQueries.Query query : queries) {
                if (query.expected() == HostileQueries.Expected.READS) {
                    continue;
                }
                Map<String, String> values = corpus.values(query.line());
                String sql = query.sql(values);
                try {
                    QueryResult result = engine.query(sql, List.of());
                    softly.assertThat(query.expected()).as("%s answered %s", query, result.rows())
                            .isEqualTo(HostileQueries.Expected.NO_SECRET);
                    softly.assertThat(result.toString()).as("the answer to %s", query).doesNotContain(corpus.secret());
                } catch (ChangepipeException e) {
                    softly.assertThat(e.category()).as("%s failed with %s", query, e.getMessage())
                            .isEqualTo(ErrorCategory.USER_ERROR);
                    softly.assertThat(e.getMessage()).as("the error of %s", query).doesNotContain(corpus.secret());
                } catch (RuntimeException e) {
                    softly.fail("%s failed with %s, not as a user error", query, e);
                }
                softly.assertThat(Path.of(values.get("target"))).as("what %s writes", query).doesNotExist();
                softly.assertThat(Path.of(values.get("other"))).as("what %s attaches", query).doesNotExist();
            }
            softly.assertThat(corpus.filesOutsideTheWarehouse(workDir)).as("the files outside the warehouse")
                    .isEqualTo(filesBefore);
            softly.assertThat(state(engine)).as("the tables' row counts, the ledger and the offsets").isEqualTo(before);
            softly.assertThat(reads(engine, corpus, queries)).as("the corpus's ordinary reads, after it")
                    .isEqualTo(readsBefore);
            softly.assertAll();
        }
    }

    /** What a query must not change: the tables' row counts, the ledger and the offsets. */
    private static Object state(Engine engine) {
        return List.of(engine.rowCounts(), engine.ledger(LedgerQuery.all()), engine.offsets());
    }

    /** The answers to the corpus's ordinary reads, each of which must work. */
    private Map<String, QueryResult> reads(Engine engine, HostileQueries.Corpus corpus, List<HostileQueries.Query> queries) {
        Map<String, QueryResult> answers = new LinkedHashMap<>();
        for (HostileQueries.Query query : queries) {
            if (query.expected() == HostileQueries.Expected.READS) {
                String sql = query.sql(corpus.values(query.line()));
                // EXPLAIN's text holds ids that differ from one planning to the next; that it answers is enough.
                QueryResult result = engine.query(sql, List.of());
                answers.put(sql, sql.startsWith("EXPLAIN") ? new QueryResult(result.columns(), List.of()) : result);
            }
        }
        return answers;
    }
}
