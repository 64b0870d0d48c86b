package dev.changepipe.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A script of SQL statements kept as a resource or a text block, with two kinds of holes:
 * {@code {{name}}} for pieces of SQL built by changepipe's code (quoted names, column lists, a
 * {@code delete_when} condition with its values), and {@code :name} for values given when the
 * statement runs.
 *
 * <p>The script is read once, when it is loaded: comments are dropped, statements are split at each
 * {@code ;} outside quotes, and holes and parameters are found in the text as written. Rendering
 * only puts pieces into the holes; nothing that a piece holds is read as a hole, a parameter or a
 * statement end.
 */
public final class SqlTemplate {
    private final String name;
    private final List<List<Token>> statements;

    private sealed interface Token permits Text, Hole, Parameter {}

    private record Text(String text) implements Token {}

    private record Hole(String name) implements Token {}

    private record Parameter(String name) implements Token {}

    private SqlTemplate(String name, String text) {
        this.name = name;
        this.statements = new Tokenizer(name, text).statements();
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

    /** Fills the holes of every statement. Every hole must be filled. */
    public List<Sql> render(Map<String, Sql> pieces) {
        List<Sql> rendered = new ArrayList<>(statements.size());
        for (List<Token> statement : statements) {
            Sql.Builder out = Sql.builder();
            for (Token token : statement) {
                if (token instanceof Text t) {
                    out.text(t.text());
                } else if (token instanceof Parameter p) {
                    out.parameter(p.name());
                } else if (token instanceof Hole h) {
                    Sql piece = pieces.get(h.name());
                    if (piece == null) {
                        throw new IllegalArgumentException("SQL template " + name + " needs fragment {{" + h.name() + "}}");
                    }
                    out.sql(piece);
                }
            }
            rendered.add(out.build());
        }
        return rendered;
    }

    /** The single statement of a one-statement template. */
    public Sql single(Map<String, Sql> pieces) {
        if (statements.size() != 1) {
            throw new IllegalStateException("SQL template " + name + " has " + statements.size() + " statements, expected 1");
        }
        return render(pieces).get(0);
    }

    /** Reads a script once into statements of tokens. */
    private static final class Tokenizer {
        private final String name;
        private final String text;
        private final List<List<Token>> statements = new ArrayList<>();
        private List<Token> statement = new ArrayList<>();
        private final StringBuilder pending = new StringBuilder();
        private int at;

        Tokenizer(String name, String text) {
            this.name = name;
            this.text = text;
        }

        List<List<Token>> statements() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '-' && next() == '-') {
                    skipComment();
                } else if (c == '\'' || c == '"' || c == '`') {
                    copyQuoted(c);
                } else if (c == '{' && next() == '{') {
                    hole();
                } else if (c == ':' && isParameterStart()) {
                    parameter();
                } else if (c == ';') {
                    endStatement();
                    at++;
                } else {
                    pending.append(c);
                    at++;
                }
            }
            endStatement();
            return List.copyOf(statements);
        }

        private char next() {
            return at + 1 < text.length() ? text.charAt(at + 1) : 0;
        }

        /** {@code :name} not preceded by a colon or a word character: {@code x::BIGINT} and {@code '10:30'} are not parameters. */
        private boolean isParameterStart() {
            char before = at > 0 ? text.charAt(at - 1) : ' ';
            char after = next();
            return before != ':' && !Character.isLetterOrDigit(before) && before != '_'
                    && (Character.isLowerCase(after) || after == '_');
        }

        private void skipComment() {
            while (at < text.length() && text.charAt(at) != '\n') {
                at++;
            }
        }

        /** A quoted string or name, copied as it is; a doubled quote stays inside. */
        private void copyQuoted(char quote) {
            int start = at++;
            while (true) {
                if (at >= text.length()) {
                    throw new IllegalArgumentException("SQL template " + name + ": unterminated " + quote + " quote");
                }
                if (text.charAt(at) == quote) {
                    if (next() == quote) {
                        at += 2;
                        continue;
                    }
                    at++;
                    break;
                }
                at++;
            }
            pending.append(text, start, at);
        }

        private void hole() {
            int end = text.indexOf("}}", at);
            if (end < 0) {
                throw new IllegalArgumentException("SQL template " + name + ": unterminated {{ at offset " + at);
            }
            String hole = text.substring(at + 2, end);
            if (!hole.matches("[a-z_]+")) {
                throw new IllegalArgumentException("SQL template " + name + ": bad fragment name {{" + hole + "}}");
            }
            flushText();
            statement.add(new Hole(hole));
            at = end + 2;
        }

        private void parameter() {
            int end = at + 1;
            while (end < text.length() && (Character.isLowerCase(text.charAt(end)) || text.charAt(end) == '_'
                    || Character.isDigit(text.charAt(end)))) {
                end++;
            }
            flushText();
            statement.add(new Parameter(text.substring(at + 1, end)));
            at = end;
        }

        private void flushText() {
            if (pending.length() > 0) {
                statement.add(new Text(pending.toString()));
                pending.setLength(0);
            }
        }

        /** Ends the statement, without the white space around it; a blank one is dropped. */
        private void endStatement() {
            flushText();
            List<Token> tokens = new ArrayList<>(statement);
            statement = new ArrayList<>();
            while (!tokens.isEmpty() && tokens.get(0) instanceof Text t && t.text().isBlank()) {
                tokens.remove(0);
            }
            while (!tokens.isEmpty() && tokens.get(tokens.size() - 1) instanceof Text t && t.text().isBlank()) {
                tokens.remove(tokens.size() - 1);
            }
            if (tokens.isEmpty()) {
                return;
            }
            if (tokens.get(0) instanceof Text t) {
                tokens.set(0, new Text(t.text().stripLeading()));
            }
            if (tokens.get(tokens.size() - 1) instanceof Text t) {
                tokens.set(tokens.size() - 1, new Text(t.text().stripTrailing()));
            }
            statements.add(List.copyOf(tokens));
        }
    }
}
