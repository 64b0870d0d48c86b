package dev.changepipe.duckdb;

import dev.changepipe.conformance.QualityCheckConformanceTest;

class DuckDbQualityCheckConformanceTest extends QualityCheckConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
