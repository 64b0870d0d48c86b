package dev.changepipe.duckdb;

import dev.changepipe.conformance.AsOfConformanceTest;

class DuckDbAsOfConformanceTest extends AsOfConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
