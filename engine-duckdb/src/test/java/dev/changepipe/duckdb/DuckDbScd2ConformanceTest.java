package dev.changepipe.duckdb;

import dev.changepipe.conformance.Scd2ConformanceTest;

class DuckDbScd2ConformanceTest extends Scd2ConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
