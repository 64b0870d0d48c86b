package dev.changepipe.spec.predicate;

import java.util.Locale;
import java.util.Set;

/** Lexical rules shared by the parser and the canonical text rendering. */
final class Syntax {

    static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE");

    private Syntax() {
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    static boolean isIdentifier(String name) {
        if (name.isEmpty() || !isIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!isIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
    }

    /**
     * Rejects names outside the identifier rule when a node is built, so that every tree, however
     * it was built, renders to text that parses back and hands the engine a benign name to quote.
     */
    static String requireColumn(String column) {
        if (column == null || !isIdentifier(column)) {
            throw new IllegalArgumentException("column name must match [A-Za-z_][A-Za-z0-9_]*: " + column);
        }
        return column;
    }

    /** Canonical spelling of a column: bare unless it collides with a keyword. */
    static String identifier(String column) {
        return isKeyword(column) ? '"' + column + '"' : column;
    }
}
