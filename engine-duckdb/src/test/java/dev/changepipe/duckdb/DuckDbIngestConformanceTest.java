package dev.changepipe.duckdb;

import dev.changepipe.conformance.IngestConformanceTest;

class DuckDbIngestConformanceTest extends IngestConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
