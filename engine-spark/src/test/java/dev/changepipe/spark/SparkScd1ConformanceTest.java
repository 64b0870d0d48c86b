package dev.changepipe.spark;

import dev.changepipe.conformance.Scd1ConformanceTest;
import java.util.Map;

class SparkScd1ConformanceTest extends Scd1ConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
