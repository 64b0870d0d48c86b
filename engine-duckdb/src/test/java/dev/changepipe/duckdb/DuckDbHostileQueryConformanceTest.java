package dev.changepipe.duckdb;

import dev.changepipe.conformance.HostileQueryConformanceTest;

class DuckDbHostileQueryConformanceTest extends HostileQueryConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
