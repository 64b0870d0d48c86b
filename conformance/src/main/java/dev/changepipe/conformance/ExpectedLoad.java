package dev.changepipe.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * What must come of one landed file (rule 1 of docs/semantics.md): its status in the file ledger,
 * words its first error must contain, its rows that reach the raw table and its rows that go to the
 * rejects table.
 *
 * @param status the ledger status: {@code loaded}, {@code loaded_with_rejects}, {@code refused}, …
 * @param firstErrorWords words the ledger's first error must contain (ignoring case); none: it is NULL
 * @param loaded the file's rows in the raw table, in line order, on the columns this table names
 * @param rejects the file's rows in the rejects table, in line order, as {@code _line | column_name | reason},
 *     where {@code reason} is a word the reason must contain (ignoring case; write {@code NULL}, since a
 *     {@link Table} fixture reads {@code null} as no value)
 */
record ExpectedLoad(String status, List<String> firstErrorWords, Table loaded, Table rejects) {
    static final Table NO_ROWS = Table.parse("id");
    static final Table NO_REJECTS = Table.parse("_line | column_name | reason");

    ExpectedLoad {
        firstErrorWords = List.copyOf(firstErrorWords);
        if (!rejects.columns().equals(NO_REJECTS.columns())) {
            throw new IllegalArgumentException("expected rejects need the columns " + NO_REJECTS.columns());
        }
    }

    /** Refused whole: nothing loaded, nothing rejected, the reason in the ledger. */
    static ExpectedLoad refused(String... reasonWords) {
        return new ExpectedLoad("refused", List.of(reasonWords), NO_ROWS, NO_REJECTS);
    }

    /** Every row loaded: {@code rows} is a {@link Table} fixture of the raw rows (use {@code _line} to check lines). */
    static ExpectedLoad loaded(String rows) {
        return new ExpectedLoad("loaded", List.of(), Table.parse(rows), NO_REJECTS);
    }

    /**
     * Some rows rejected, the others loaded; the first error must name the first reject's line, column
     * and reason word.
     */
    static ExpectedLoad withRejects(String rows, String rejects) {
        Table expectedRejects = Table.parse(rejects);
        if (expectedRejects.isEmpty()) {
            throw new IllegalArgumentException("a file loaded with rejects has at least one reject");
        }
        List<String> first = expectedRejects.rows().get(0);
        List<String> words = new ArrayList<>();
        words.add("line " + first.get(0));
        if (first.get(1) != null) {
            words.add(first.get(1));
        }
        words.add(first.get(2));
        return new ExpectedLoad("loaded_with_rejects", words, Table.parse(rows), expectedRejects);
    }
}
