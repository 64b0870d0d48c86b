package dev.changepipe.spark;

import dev.changepipe.conformance.SnapshotConformanceTest;
import java.util.Map;

class SparkSnapshotConformanceTest extends SnapshotConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
