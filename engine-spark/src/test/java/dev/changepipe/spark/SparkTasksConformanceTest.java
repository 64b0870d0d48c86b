package dev.changepipe.spark;

import dev.changepipe.conformance.TasksConformanceTest;
import java.util.Map;

class SparkTasksConformanceTest extends TasksConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
