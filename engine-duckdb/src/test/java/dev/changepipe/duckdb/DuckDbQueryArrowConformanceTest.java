package dev.changepipe.duckdb;

import dev.changepipe.conformance.QueryArrowConformanceTest;

class DuckDbQueryArrowConformanceTest extends QueryArrowConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
