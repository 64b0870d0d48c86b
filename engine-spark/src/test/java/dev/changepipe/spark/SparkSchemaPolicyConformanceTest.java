package dev.changepipe.spark;

import dev.changepipe.conformance.SchemaPolicyConformanceTest;
import java.util.Map;

class SparkSchemaPolicyConformanceTest extends SchemaPolicyConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }

    @Override
    protected String jsonField(String column, String key) {
        return "get_json_object(" + column + ", '$." + key + "')";
    }
}
