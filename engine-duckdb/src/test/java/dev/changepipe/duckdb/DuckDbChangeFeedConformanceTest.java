package dev.changepipe.duckdb;

import dev.changepipe.conformance.ChangeFeedConformanceTest;

class DuckDbChangeFeedConformanceTest extends ChangeFeedConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
