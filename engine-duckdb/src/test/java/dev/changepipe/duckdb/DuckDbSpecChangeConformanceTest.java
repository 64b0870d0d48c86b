package dev.changepipe.duckdb;

import dev.changepipe.conformance.SpecChangeConformanceTest;

class DuckDbSpecChangeConformanceTest extends SpecChangeConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
