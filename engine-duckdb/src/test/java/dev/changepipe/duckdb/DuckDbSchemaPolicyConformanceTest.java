package dev.changepipe.duckdb;

import dev.changepipe.conformance.SchemaPolicyConformanceTest;

class DuckDbSchemaPolicyConformanceTest extends SchemaPolicyConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }

    @Override
    protected String jsonField(String column, String key) {
        return "json_extract_string(" + column + ", '$." + key + "')";
    }
}
