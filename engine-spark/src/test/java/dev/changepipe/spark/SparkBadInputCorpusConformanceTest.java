package dev.changepipe.spark;

import dev.changepipe.conformance.BadInputCorpusConformanceTest;
import java.util.Map;

class SparkBadInputCorpusConformanceTest extends BadInputCorpusConformanceTest {
    @Override
    protected String engineType() {
        return "spark";
    }

    @Override
    protected Map<String, Object> engineOptions() {
        return SparkTestEngine.OPTIONS;
    }
}
