package dev.changepipe.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A piece of SQL as a list of parts: text written by changepipe's own code, values that come from a
 * spec (a {@code delete_when} literal), and named parameters filled in when a statement runs. A value
 * or parameter never becomes text before the statement is handed to its engine, and text is never
 * scanned for holes once it is a part: what a value holds cannot change what the statement says.
 */
public record Sql(List<Part> parts) {

    public Sql {
        parts = List.copyOf(parts);
    }

    /** One part of a piece of SQL. */
    public sealed interface Part permits Text, Value, Parameter {}

    /** SQL text: keywords, quoted identifiers, operators. */
    public record Text(String text) implements Part {}

    /** A constant given by the spec, bound or written as a literal by the dialect. */
    public record Value(Object value) implements Part {}

    /** A value named in a template ({@code :to_file}), given when the statement runs. */
    public record Parameter(String name) implements Part {}

    public static Sql text(String text) {
        return new Sql(List.of(new Text(text)));
    }

    public static Sql value(Object value) {
        return new Sql(List.of(new Value(value)));
    }

    public static Sql parameter(String name) {
        return new Sql(List.of(new Parameter(name)));
    }

    /** The pieces one after the other, with {@code separator} text between them. */
    public static Sql join(Collection<Sql> pieces, String separator) {
        Builder out = builder();
        boolean first = true;
        for (Sql piece : pieces) {
            if (!first) {
                out.text(separator);
            }
            out.sql(piece);
            first = false;
        }
        return out.build();
    }

    /** Text fragments as pieces of SQL, for templates filled only with identifiers and column lists. */
    public static Map<String, Sql> texts(Map<String, String> fragments) {
        Map<String, Sql> pieces = new HashMap<>();
        fragments.forEach((name, text) -> pieces.put(name, text(text)));
        return pieces;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The text with a {@code ?} for each value and parameter, for engines that bind them. */
    public String placeholderText() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part instanceof Text t ? t.text() : "?");
        }
        return out.toString();
    }

    /**
     * The text of a piece that holds only text (a quoted name, a column list).
     *
     * @throws IllegalStateException when it holds a value or a parameter, which must be bound, not written
     */
    public String plainText() {
        if (parts.stream().anyMatch(p -> !(p instanceof Text))) {
            throw new IllegalStateException("a piece with values or parameters is not plain text: " + this);
        }
        return placeholderText();
    }

    /** The values to bind to {@link #placeholderText()}'s placeholders, in order. */
    public List<Object> values(Map<String, ?> parameters) {
        List<Object> values = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Value v) {
                values.add(v.value());
            } else if (part instanceof Parameter p) {
                values.add(parameter(p, parameters));
            }
        }
        return values;
    }

    /** The text with each value and parameter written by {@code literal}, for engines that cannot bind. */
    public String inline(Map<String, ?> parameters, Function<Object, String> literal) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else if (part instanceof Value v) {
                out.append(literal.apply(v.value()));
            } else if (part instanceof Parameter p) {
                out.append(literal.apply(parameter(p, parameters)));
            }
        }
        return out.toString();
    }

    private static Object parameter(Parameter p, Map<String, ?> parameters) {
        if (!parameters.containsKey(p.name())) {
            throw new IllegalArgumentException("no value for parameter :" + p.name());
        }
        return parameters.get(p.name());
    }

    /** The text with {@code :name} for parameters and {@code ?} for values: for logs and tests, never to run. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else if (part instanceof Parameter p) {
                out.append(':').append(p.name());
            } else {
                out.append('?');
            }
        }
        return out.toString();
    }

    /** Builds a piece of SQL part by part; adjacent text is kept as one part. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        private Builder() {}

        public Builder text(String text) {
            if (text.isEmpty()) {
                return this;
            }
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last) instanceof Text t) {
                parts.set(last, new Text(t.text() + text));
            } else {
                parts.add(new Text(text));
            }
            return this;
        }

        public Builder value(Object value) {
            parts.add(new Value(value));
            return this;
        }

        public Builder parameter(String name) {
            parts.add(new Parameter(name));
            return this;
        }

        public Builder sql(Sql sql) {
            for (Part part : sql.parts()) {
                if (part instanceof Text t) {
                    text(t.text());
                } else {
                    parts.add(part);
                }
            }
            return this;
        }

        public Sql build() {
            return new Sql(parts);
        }
    }
}
