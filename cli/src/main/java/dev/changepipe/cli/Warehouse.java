package dev.changepipe.cli;

import dev.changepipe.engine.ChangeFeedBatch;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.engine.StatusSection;
import dev.changepipe.engine.StatusView;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.spec.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Read access to a pipeline's warehouse for {@code query}, {@code status}, {@code files} and {@code history}:
 * through the query endpoint of a running pipeline when there is one (DuckDB allows one writing
 * process per file), else by opening the warehouse directly.
 */
interface Warehouse extends AutoCloseable {
    QueryResult query(String sql, List<Object> parameters);

    /** {@link #query} with the current table's name meaning the table as of sequence time {@code asOf} (rule 3.5). */
    QueryResult queryAsOf(String sql, List<Object> parameters, String asOf);

    List<StatusSection> status();

    /** The ledger entries {@code query} selects, as rows (columns {@link LedgerTable#COLUMNS}). */
    QueryResult files(LedgerQuery query);

    ChangeFeedBatch readChangeFeed(String consumer, int maxVersions);

    void commitFeedOffset(String consumer, long version);

    @Override
    void close();

    /**
     * The local folder of a pipeline's query endpoint file: the warehouse folder, or, for a warehouse
     * at a URI (a Spark engine's {@code hdfs://…}, {@code s3a://…}), a folder of this machine named
     * after that URI, so that every process here finds the one that runs it.
     */
    static Path endpointFolder(PipelineSpec spec) {
        if (!spec.engine().isUri()) {
            return spec.engine().path();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spec.engine().location().getBytes(StandardCharsets.UTF_8));
            return Path.of(System.getProperty("user.home"), ".changepipe", "warehouses",
                    HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static Warehouse open(PipelineSpec spec) {
        return EndpointFile.read(endpointFolder(spec))
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
                        public QueryResult queryAsOf(String sql, List<Object> parameters, String asOf) {
                            return ResultFormat.portable(engine.queryAsOf(sql, parameters, asOf));
                        }

                        @Override
                        public List<StatusSection> status() {
                            return StatusView.of(engine, spec.tables(), spec.checks()).stream()
                                    .map(s -> new StatusSection(s.title(), ResultFormat.portable(s.rows())))
                                    .toList();
                        }

                        @Override
                        public QueryResult files(LedgerQuery query) {
                            return ResultFormat.portable(LedgerTable.of(engine.ledger(query)));
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
