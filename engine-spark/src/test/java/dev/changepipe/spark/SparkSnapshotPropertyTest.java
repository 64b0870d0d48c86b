package dev.changepipe.spark;

import dev.changepipe.conformance.SnapshotPropertyTest;
import java.util.Map;

/** Two seeds: a seed costs Spark about 25 s; the embedded engine runs all twenty. */
class SparkSnapshotPropertyTest extends SnapshotPropertyTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }

    @Override
    protected int seeds() {
        return 2;
    }
}
