package dev.changepipe.duckdb;

import dev.changepipe.conformance.SnapshotConformanceTest;

class DuckDbSnapshotConformanceTest extends SnapshotConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
