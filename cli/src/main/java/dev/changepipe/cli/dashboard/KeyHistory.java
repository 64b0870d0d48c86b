package dev.changepipe.cli.dashboard;

import dev.changepipe.engine.QueryResult;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every version of one key in the history table, oldest first: the statement {@code changepipe history} and the
 * dashboard's key timeline send, with the key's values bound, and what changed from one version to the next.
 */
public record KeyHistory(String sql, List<Object> parameters) {

    /** A version's columns, and the value columns whose value differs from the version before (none for the first). */
    public record Version(Map<String, Object> values, List<String> changed) {}

    /** @param key one value per key column, as text, in the order of the spec's keys */
    public static KeyHistory of(PipelineSpec spec, List<String> key) {
        if (key.size() != spec.keys().size()) {
            throw ChangepipeException.user("KEY: pipeline " + spec.name() + " has " + spec.keys().size()
                    + " key column(s) (" + String.join(", ", spec.keys()) + "), got " + key.size() + " value(s)");
        }
        String sql = "SELECT * FROM " + Identifier.quote(spec.tables().history()) + " WHERE " + keyMatch(spec)
                + " ORDER BY " + Identifier.quote(spec.historyColumns().start());
        return new KeyHistory(sql, new ArrayList<>(key));
    }

    private static String keyMatch(PipelineSpec spec) {
        return spec.keys().stream()
                .map(k -> Identifier.quote(k) + " = CAST(? AS " + sqlType(spec, k) + ")")
                .collect(Collectors.joining(" AND "));
    }

    /**
     * The key's row of the current table, for a query run with the current table as of a sequence time (rule 3.5): its
     * values then, exact for every column; no row when the key was absent or deleted then.
     */
    public static KeyHistory asOf(PipelineSpec spec, List<String> key) {
        KeyHistory versions = of(spec, key);
        return new KeyHistory("SELECT * FROM " + Identifier.quote(spec.tables().current()) + " WHERE " + keyMatch(spec),
                versions.parameters());
    }

    /** The rows of {@link #sql()} as versions, each with what changed since the one before. */
    public static List<Version> versions(PipelineSpec spec, QueryResult rows) {
        List<String> compared = spec.valueColumns().stream().map(Identifier::fold).toList();
        List<Version> versions = new ArrayList<>();
        Map<String, Object> previous = null;
        for (List<Object> row : rows.rows()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < rows.columns().size(); i++) {
                values.put(rows.columns().get(i), JsonCell.of(row.get(i)));
            }
            List<String> changed = new ArrayList<>();
            if (previous != null) {
                for (String column : values.keySet()) {
                    if (compared.contains(Identifier.fold(column)) && !Objects.equals(values.get(column), previous.get(column))) {
                        changed.add(column);
                    }
                }
            }
            versions.add(new Version(values, changed));
            previous = values;
        }
        return versions;
    }

    /** The cast target for a key value given as text; these names mean the same in DuckDB and Spark SQL. */
    private static String sqlType(PipelineSpec spec, String column) {
        return switch (spec.typeOf(column)) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(38,9)";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIMESTAMP, TIMESTAMPTZ -> "TIMESTAMP";
            case VARCHAR -> "VARCHAR";
        };
    }
}
