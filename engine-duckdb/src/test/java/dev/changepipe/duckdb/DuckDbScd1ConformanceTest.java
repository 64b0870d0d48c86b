package dev.changepipe.duckdb;

import dev.changepipe.conformance.Scd1ConformanceTest;

class DuckDbScd1ConformanceTest extends Scd1ConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
