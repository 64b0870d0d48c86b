package dev.changepipe.duckdb;

import dev.changepipe.conformance.BadInputCorpusConformanceTest;

class DuckDbBadInputCorpusConformanceTest extends BadInputCorpusConformanceTest {
    @Override
    protected String engineType() {
        return "duckdb";
    }
}
