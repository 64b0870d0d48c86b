package dev.changepipe.spark;

import dev.changepipe.conformance.AsOfConformanceTest;
import java.util.Map;

class SparkAsOfConformanceTest extends AsOfConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
