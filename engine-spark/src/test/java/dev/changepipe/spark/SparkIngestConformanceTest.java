package dev.changepipe.spark;

import dev.changepipe.conformance.IngestConformanceTest;
import java.util.Map;

class SparkIngestConformanceTest extends IngestConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
