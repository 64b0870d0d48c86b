package dev.changepipe.spark;

import dev.changepipe.conformance.QueryArrowConformanceTest;
import java.util.Map;

class SparkQueryArrowConformanceTest extends QueryArrowConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
