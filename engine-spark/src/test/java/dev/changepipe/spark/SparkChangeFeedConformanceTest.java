package dev.changepipe.spark;

import dev.changepipe.conformance.ChangeFeedConformanceTest;
import java.util.Map;

class SparkChangeFeedConformanceTest extends ChangeFeedConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
