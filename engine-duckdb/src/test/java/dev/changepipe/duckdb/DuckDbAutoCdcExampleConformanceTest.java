package dev.changepipe.duckdb;

import dev.changepipe.conformance.AutoCdcExampleConformanceTest;

class DuckDbAutoCdcExampleConformanceTest extends AutoCdcExampleConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
