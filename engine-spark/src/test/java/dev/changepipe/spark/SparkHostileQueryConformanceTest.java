package dev.changepipe.spark;

import dev.changepipe.conformance.HostileQueryConformanceTest;
import java.util.Map;

class SparkHostileQueryConformanceTest extends HostileQueryConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
