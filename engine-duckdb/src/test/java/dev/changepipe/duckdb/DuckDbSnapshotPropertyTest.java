package dev.changepipe.duckdb;

import dev.changepipe.conformance.SnapshotPropertyTest;

class DuckDbSnapshotPropertyTest extends SnapshotPropertyTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
