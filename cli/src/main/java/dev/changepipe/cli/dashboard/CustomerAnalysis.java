package dev.changepipe.cli.dashboard;

import dev.changepipe.engine.Engine;
import dev.changepipe.engine.QueryResult;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis page of the built-in customer pipeline (any pipeline with {@code state} and {@code country} columns):
 * customers by country and state from the current table, and changes per minute from its change feed. Two queries
 * on the spec's own tables, sent when the page asks (it does so on opening and at most every few seconds while
 * history commits), never on a timer of the server's.
 */
final class CustomerAnalysis {
    private static final String STATE = "state";
    private static final String COUNTRY = "country";
    private static final int PLACES = 25;
    private static final int MINUTES = 60;

    private CustomerAnalysis() {}

    static boolean appliesTo(PipelineSpec spec) {
        List<String> values = spec.valueColumns().stream().map(Identifier::fold).toList();
        return values.contains(STATE) && values.contains(COUNTRY);
    }

    static Map<String, Object> of(PipelineSpec spec, Engine engine) {
        String current = Identifier.quote(spec.tables().current());
        String state = Identifier.quote(column(spec, STATE));
        String country = Identifier.quote(column(spec, COUNTRY));
        QueryResult places = engine.query("SELECT " + country + " AS country, " + state + " AS state, count(*) AS customers"
                + " FROM " + current + " GROUP BY " + country + ", " + state
                + " ORDER BY customers DESC, country, state LIMIT " + PLACES, List.of());
        QueryResult perMinute = engine.query("SELECT date_trunc('minute', _commit_timestamp) AS minute, count(*) AS changes"
                + " FROM " + Identifier.quote(spec.tables().changes())
                + " GROUP BY date_trunc('minute', _commit_timestamp) ORDER BY minute DESC LIMIT " + MINUTES, List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("places", rows(places));
        body.put("perMinute", rows(perMinute));
        return body;
    }

    /** The spec's own spelling of a column the analysis names. */
    private static String column(PipelineSpec spec, String name) {
        return spec.valueColumns().stream().filter(c -> Identifier.fold(c).equals(name)).findFirst().orElseThrow();
    }

    private static List<List<Object>> rows(QueryResult result) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            rows.add(row.stream().map(JsonCell::of).toList());
        }
        return rows;
    }
}
