package dev.changepipe.cli;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.spec.PipelineSpec;
import java.util.List;

/**
 * Read access to a pipeline's warehouse for {@code query}, {@code status} and {@code history}:
 * through the query endpoint of a running pipeline when there is one (DuckDB allows one writing
 * process per file), else by opening the warehouse directly.
 */
interface Warehouse extends AutoCloseable {
    QueryResult query(String sql, List<Object> parameters);

    List<StatusSection> status();

    ChangeFeedBatch readChangeFeed(String consumer, int maxVersions);

    void commitFeedOffset(String consumer, long version);

    @Override
    void close();

    static Warehouse open(PipelineSpec spec) {
        return EndpointFile.read(spec.engine().path())
                .<Warehouse>map(RemoteWarehouse::new)
                .orElseGet(() -> {
                    Engine engine = Engines.open(spec);
                    engine.prepare();
                    return new Warehouse() {
                        @Override
                        public QueryResult query(String sql, List<Object> parameters) {
                            return ResultFormat.portable(engine.query(sql, parameters));
                        }

                        @Override
                        public List<StatusSection> status() {
                            return engine.status().stream()
                                    .map(s -> new StatusSection(s.title(), ResultFormat.portable(s.rows())))
                                    .toList();
                        }

                        @Override
                        public ChangeFeedBatch readChangeFeed(String consumer, int maxVersions) {
                            return FeedJson.portable(engine.readChangeFeed(consumer, maxVersions));
                        }

                        @Override
                        public void commitFeedOffset(String consumer, long version) {
                            engine.commitFeedOffset(consumer, version);
                        }

                        @Override
                        public void close() {
                            engine.close();
                        }
                    };
                });
    }
}
