package dev.changepipe.spark;

import dev.changepipe.conformance.SpecChangeConformanceTest;
import java.util.Map;

class SparkSpecChangeConformanceTest extends SpecChangeConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
