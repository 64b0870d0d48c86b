package dev.changepipe.spark;

import dev.changepipe.conformance.QualityCheckConformanceTest;
import java.util.Map;

class SparkQualityCheckConformanceTest extends QualityCheckConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
