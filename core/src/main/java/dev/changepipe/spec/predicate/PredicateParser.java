package dev.changepipe.spec.predicate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Recursive-descent parser for {@code delete_when}, with a tokenizer that runs one token ahead so
 * the first problem in reading order is the one reported.
 */
final class PredicateParser {

    /** Bounds recursion so a hostile spec of nested brackets cannot overflow the stack. */
    static final int MAX_DEPTH = 64;

    private static final int MAX_SHOWN = 40;

    private enum Kind { WORD, QUOTED_WORD, STRING, NUMBER, OPERATOR, LEFT, RIGHT, COMMA, END, INVALID }

    /** {@code value} is the decoded content (identifier name, string contents); {@code position} is 1-based. */
    private record Token(Kind kind, String raw, String value, int position) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && value.equalsIgnoreCase(keyword);
        }
    }

    private final String text;
    private final List<String> columns;
    private int offset;
    private Token current;
    // Unknown columns are reported only once the whole text is known to be well-formed, so that
    // `lower(op) = 'd'` is reported as a syntax error rather than as an unknown column `lower`.
    private String columnProblem;

    PredicateParser(String text, Collection<String> columns) {
        this.text = text == null ? "" : text;
        this.columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    }

    Predicate parse() {
        current = nextToken();
        Predicate result = or(0);
        if (current.kind() != Kind.END) {
            throw expected("AND, OR or end of input");
        }
        if (columnProblem != null) {
            throw new PredicateException(columnProblem);
        }
        return result;
    }

    private Predicate or(int depth) {
        List<Predicate> operands = new ArrayList<>();
        operands.add(and(depth));
        while (current.isKeyword("OR")) {
            advance();
            operands.add(and(depth));
        }
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }

    private Predicate and(int depth) {
        List<Predicate> operands = new ArrayList<>();
        operands.add(not(depth));
        while (current.isKeyword("AND")) {
            advance();
            operands.add(not(depth));
        }
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    private Predicate not(int depth) {
        if (current.isKeyword("NOT")) {
            checkDepth(depth + 1);
            advance();
            return new Not(not(depth + 1));
        }
        if (current.kind() == Kind.LEFT) {
            checkDepth(depth + 1);
            advance();
            Predicate inner = or(depth + 1);
            expect(Kind.RIGHT, "')'");
            return inner;
        }
        return comparison();
    }

    private Predicate comparison() {
        String column = column();
        if (current.kind() == Kind.OPERATOR) {
            Operator operator = Operator.fromSymbol(current.value());
            advance();
            return new Comparison(column, operator, literal());
        }
        if (current.isKeyword("IS")) {
            advance();
            boolean negated = current.isKeyword("NOT");
            if (negated) {
                advance();
            }
            if (!current.isKeyword("NULL")) {
                throw expected(negated ? "NULL" : "NULL or NOT NULL");
            }
            advance();
            return new IsNull(column, negated);
        }
        boolean negated = current.isKeyword("NOT");
        if (negated) {
            advance();
            if (!current.isKeyword("IN")) {
                throw expected("IN");
            }
        }
        if (current.isKeyword("IN")) {
            advance();
            expect(Kind.LEFT, "'('");
            List<Literal> values = new ArrayList<>();
            values.add(literal());
            while (current.kind() == Kind.COMMA) {
                advance();
                values.add(literal());
            }
            expect(Kind.RIGHT, "',' or ')'");
            return new InList(column, values, negated);
        }
        throw expected("a comparison operator, IN, NOT IN or IS");
    }

    private String column() {
        boolean bare = current.kind() == Kind.WORD && !Syntax.isKeyword(current.value());
        if (!bare && current.kind() != Kind.QUOTED_WORD) {
            throw expected("a column");
        }
        String name = current.value();
        advance();
        return resolve(name);
    }

    /** Matches case-insensitively but returns the declared spelling; an exact match wins over near twins. */
    private String resolve(String name) {
        if (columns.contains(name)) {
            return name;
        }
        List<String> matches = columns.stream().filter(name::equalsIgnoreCase).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (columnProblem == null) {
            columnProblem = matches.isEmpty()
                    ? "delete_when: unknown column '" + name + "'; "
                            + (columns.isEmpty() ? "no columns are declared" : "columns are: " + String.join(", ", columns))
                    : "delete_when: column '" + name + "' matches several declared columns ("
                            + String.join(", ", matches) + "); write it exactly as declared";
        }
        return name;
    }

    private Literal literal() {
        Token token = current;
        Literal literal = switch (token.kind()) {
            case STRING -> Literal.string(token.value());
            case NUMBER -> new Literal.NumberLiteral(new BigDecimal(token.value()));
            case WORD -> token.isKeyword("TRUE") ? Literal.bool(true) : token.isKeyword("FALSE") ? Literal.bool(false) : null;
            default -> null;
        };
        if (literal == null) {
            PredicateException problem = expected("a literal");
            if (token.isKeyword("NULL")) {
                throw new PredicateException(problem.getMessage() + "; use IS NULL or IS NOT NULL to test for NULL");
            }
            throw problem;
        }
        advance();
        return literal;
    }

    private void expect(Kind kind, String description) {
        if (current.kind() != kind) {
            throw expected(description);
        }
        advance();
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new PredicateException("delete_when: nesting deeper than " + MAX_DEPTH
                    + " levels at position " + current.position());
        }
    }

    private PredicateException expected(String description) {
        return problem(description, current.position(), current.kind() == Kind.END ? null : current.raw());
    }

    private static PredicateException problem(String description, int position, String found) {
        String shown = found == null ? "end of input"
                : "'" + (found.length() > MAX_SHOWN ? found.substring(0, MAX_SHOWN) + "..." : found) + "'";
        return new PredicateException("delete_when: expected " + description + " at position " + position
                + " but found " + shown);
    }

    private void advance() {
        current = nextToken();
    }

    private Token nextToken() {
        int length = text.length();
        while (offset < length && " \t\r\n\f".indexOf(text.charAt(offset)) >= 0) {
            offset++;
        }
        int start = offset;
        if (start == length) {
            return new Token(Kind.END, "", "", start + 1);
        }
        char c = text.charAt(start);
        char next = start + 1 < length ? text.charAt(start + 1) : '\0';
        if (Syntax.isIdentifierStart(c)) {
            offset = skipIdentifierPart(start);
            return token(Kind.WORD, start, text.substring(start, offset));
        }
        if (c == '"') {
            return quotedIdentifier(start);
        }
        if (c == '\'') {
            return string(start);
        }
        if (isDigit(c) || (c == '-' && isDigit(next))) {
            return number(start);
        }
        if ((c == '<' && (next == '=' || next == '>')) || ((c == '>' || c == '!') && next == '=')) {
            offset = start + 2;
            return token(Kind.OPERATOR, start, text.substring(start, offset));
        }
        if (c == '=' || c == '<' || c == '>') {
            offset = start + 1;
            return token(Kind.OPERATOR, start, String.valueOf(c));
        }
        offset = start + 1;
        return switch (c) {
            case '(' -> token(Kind.LEFT, start, "(");
            case ')' -> token(Kind.RIGHT, start, ")");
            case ',' -> token(Kind.COMMA, start, ",");
            default -> {
                // Comment openers are shown whole so the message names what was attempted.
                if ((c == '-' && next == '-') || (c == '/' && next == '*')) {
                    offset = start + 2;
                } else if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
                    offset = start + 2;
                }
                yield token(Kind.INVALID, start, text.substring(start, offset));
            }
        };
    }

    private Token token(Kind kind, int start, String value) {
        return new Token(kind, text.substring(start, offset), value, start + 1);
    }

    private Token quotedIdentifier(int start) {
        int end = skipIdentifierPart(start + 1);
        String name = text.substring(start + 1, end);
        if (end == text.length()) {
            throw problem("a closing '\"' (identifier opened at position " + (start + 1) + ")", end + 1, null);
        }
        if (text.charAt(end) != '"') {
            throw problem("a letter, digit, '_' or closing '\"' in the quoted identifier", end + 1,
                    text.substring(end, end + 1));
        }
        if (!Syntax.isIdentifier(name)) {
            throw problem("an identifier starting with a letter or '_'", start + 2,
                    name.isEmpty() ? "\"" : name.substring(0, 1));
        }
        offset = end + 1;
        // SQL would read "" as an escaped quote; the grammar has no escapes, so refuse rather than guess.
        if (offset < text.length() && text.charAt(offset) == '"') {
            throw problem("the end of the quoted identifier (quotes inside identifiers are not allowed)",
                    offset + 1, "\"");
        }
        return token(Kind.QUOTED_WORD, start, name);
    }

    private Token string(int start) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= text.length()) {
                throw problem("a closing ' (string opened at position " + (start + 1) + ")", text.length() + 1, null);
            }
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    value.append('\'');
                    i += 2;
                    continue;
                }
                offset = i + 1;
                return token(Kind.STRING, start, value.toString());
            }
            value.append(c);
            i++;
        }
    }

    private Token number(int start) {
        int i = start + 1;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            i += 2;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
        }
        // 1e5, 1abc or 1.2.3 are not numbers of the grammar; take the whole run so the message shows it.
        if (i < text.length() && (Syntax.isIdentifierPart(text.charAt(i)) || text.charAt(i) == '.')) {
            while (i < text.length() && (Syntax.isIdentifierPart(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            offset = i;
            return token(Kind.INVALID, start, text.substring(start, i));
        }
        offset = i;
        return token(Kind.NUMBER, start, text.substring(start, i));
    }

    private int skipIdentifierPart(int from) {
        int i = from;
        while (i < text.length() && Syntax.isIdentifierPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
