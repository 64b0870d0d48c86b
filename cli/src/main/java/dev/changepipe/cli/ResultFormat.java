package dev.changepipe.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.changepipe.engine.QueryResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code query}, {@code status} and {@code history} print rows. */
enum ResultFormat {
    TABLE {
        @Override
        void print(QueryResult result, PrintWriter out) {
            List<String[]> lines = new ArrayList<>();
            lines.add(result.columns().toArray(String[]::new));
            for (List<Object> row : result.rows()) {
                lines.add(row.stream().map(v -> v == null ? "NULL" : text(v)).toArray(String[]::new));
            }
            int[] widths = new int[result.columns().size()];
            for (String[] line : lines) {
                for (int i = 0; i < line.length; i++) {
                    widths[i] = Math.max(widths[i], Math.min(line[i].length(), 60));
                }
            }
            for (int l = 0; l < lines.size(); l++) {
                StringBuilder sb = new StringBuilder();
                String[] line = lines.get(l);
                for (int i = 0; i < line.length; i++) {
                    String cell = line[i].length() > 60 ? line[i].substring(0, 59) + "…" : line[i];
                    sb.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - cell.length()));
                }
                out.println(sb.toString().stripTrailing());
                if (l == 0) {
                    StringBuilder rule = new StringBuilder();
                    for (int i = 0; i < widths.length; i++) {
                        rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
                    }
                    out.println(rule);
                }
            }
            out.println("(" + result.rows().size() + (result.rows().size() == 1 ? " row)" : " rows)"));
        }
    },
    /**
     * RFC 4180 fields (a header row, NULL as an empty field, booleans as true/false; a field with a comma, a quote,
     * a CR or a LF quoted), but each record ends with LF, not RFC 4180's CRLF: psql and the DuckDB CLI end lines so,
     * and a shell that reads the output ({@code n=$(… | tail -1)}) would otherwise keep a CR in the value.
     */
    CSV {
        @Override
        void print(QueryResult result, PrintWriter out) {
            out.print(csvLine(new ArrayList<>(result.columns())));
            for (List<Object> row : result.rows()) {
                out.print(csvLine(row));
            }
        }

        private String csvLine(List<?> values) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object v = values.get(i);
                if (v == null) {
                    continue;
                }
                String s = text(v);
                if (s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                    // An empty string is quoted so that it stays distinct from NULL.
                    s = '"' + s.replace("\"", "\"\"") + '"';
                }
                sb.append(s);
            }
            return sb.append('\n').toString();
        }
    },
    /** A JSON array with one object per row. */
    JSON {
        @Override
        void print(QueryResult result, PrintWriter out) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (List<Object> row : result.rows()) {
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 0; i < result.columns().size(); i++) {
                    object.put(result.columns().get(i), jsonValue(row.get(i)));
                }
                rows.add(object);
            }
            try {
                out.println(MAPPER.writeValueAsString(rows));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    abstract void print(QueryResult result, PrintWriter out);

    /** The one text form of a value, whichever way it reached the CLI (direct or through the query endpoint). */
    static String text(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** Numbers and booleans stay JSON numbers and booleans; everything else becomes its text. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Double || value instanceof Float) {
            return value;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        return text(value);
    }

    /** Converts every value of a result to its JSON form, so that local and remote results print alike. */
    static QueryResult portable(QueryResult result) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            List<Object> converted = new ArrayList<>(row.size());
            row.forEach(v -> converted.add(jsonValue(v)));
            rows.add(converted);
        }
        return new QueryResult(result.columns(), rows);
    }
}
