package dev.changepipe.spark;

import dev.changepipe.conformance.Scd2ConformanceTest;
import java.util.Map;

class SparkScd2ConformanceTest extends Scd2ConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
