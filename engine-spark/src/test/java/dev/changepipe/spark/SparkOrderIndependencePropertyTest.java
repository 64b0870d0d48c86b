package dev.changepipe.spark;

import dev.changepipe.conformance.OrderIndependencePropertyTest;
import java.util.Map;

/**
 * The property on Spark with fewer seeds: a Delta MERGE costs about a second on two cores, so a seed
 * takes 20 s here against a fraction of one on DuckDB. The seeds that run are the same on both.
 */
class SparkOrderIndependencePropertyTest extends OrderIndependencePropertyTest {
    @Override
    protected int seeds() {
        return 5;
    }

    @Override
    protected int seedsWithoutSequenceBy() {
        return 2;
    }

    @Override
    protected int seedsIgnoringNulls() {
        return 3;
    }

    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
