package dev.changepipe.spark;

import dev.changepipe.conformance.AutoCdcExampleConformanceTest;
import java.util.Map;

class SparkAutoCdcExampleConformanceTest extends AutoCdcExampleConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
