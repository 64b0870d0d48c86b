package dev.changepipe.spark;

import dev.changepipe.conformance.AutoCdcExampleConformanceTest;
import java.util.Map;

/**
 * The example on Spark with 3 of the 8 random splits: each costs about 10 s here against a fraction of
 * a second on DuckDB; the order property runs random splits on Spark too.
 */
class SparkAutoCdcExampleConformanceTest extends AutoCdcExampleConformanceTest {
    @Override
    protected int randomSplits() {
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
