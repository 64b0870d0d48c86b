package dev.changepipe.duckdb;

import dev.changepipe.conformance.OrderIndependencePropertyTest;

class DuckDbOrderIndependencePropertyTest extends OrderIndependencePropertyTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
