package dev.changepipe.duckdb;

import dev.changepipe.conformance.TasksConformanceTest;

class DuckDbTasksConformanceTest extends TasksConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
