package dev.changepipe.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script of SQL statements kept as a resource, with two kinds of holes:
 * {@code {{name}}} for SQL fragments built from validated identifiers (column lists, quoted table
 * names), and {@code :name} for values, which become bound {@code ?} parameters. Values never reach
 * SQL text; fragments come only from code that quotes with {@link dev.changepipe.spec.Identifier#quote}.
 */
public final class SqlTemplate {
    private static final Pattern FRAGMENT = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)");
    private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(\\n|$)");

    private final String name;
    private final String text;

    private SqlTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** Loads a resource that sits beside {@code owner}'s class file. */
    public static SqlTemplate load(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource + " beside " + owner.getName());
            }
            return new SqlTemplate(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SqlTemplate of(String name, String text) {
        return new SqlTemplate(name, text);
    }

    /** A statement ready to prepare: {@code ?} placeholders and the names of the values to bind, in order. */
    public record Statement(String sql, List<String> parameters) {
        public Object[] bind(Map<String, ?> values) {
            Object[] bound = new Object[parameters.size()];
            for (int i = 0; i < bound.length; i++) {
                if (!values.containsKey(parameters.get(i))) {
                    throw new IllegalArgumentException("no value for :" + parameters.get(i) + " in " + sql);
                }
                bound[i] = values.get(parameters.get(i));
            }
            return bound;
        }
    }

    /** Fills the fragments and splits the script into statements. Every hole must be filled. */
    public List<Statement> render(Map<String, String> fragments) {
        String withoutComments = text.replaceAll("(?m)^\\s*--.*$", "");
        Matcher m = FRAGMENT.matcher(withoutComments);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = fragments.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("SQL template " + name + " needs fragment {{" + m.group(1) + "}}");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        List<Statement> statements = new ArrayList<>();
        for (String part : STATEMENT_END.split(filled)) {
            if (part.isBlank()) {
                continue;
            }
            List<String> parameters = new ArrayList<>();
            Matcher p = PARAMETER.matcher(part);
            StringBuilder sql = new StringBuilder();
            while (p.find()) {
                parameters.add(p.group(1));
                p.appendReplacement(sql, "?");
            }
            p.appendTail(sql);
            statements.add(new Statement(sql.toString().strip(), List.copyOf(parameters)));
        }
        return statements;
    }

    /** The single statement of a one-statement template. */
    public Statement single(Map<String, String> fragments) {
        List<Statement> statements = render(fragments);
        if (statements.size() != 1) {
            throw new IllegalStateException("SQL template " + name + " has " + statements.size() + " statements, expected 1");
        }
        return statements.get(0);
    }
}
