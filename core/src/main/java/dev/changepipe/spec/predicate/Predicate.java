package dev.changepipe.spec.predicate;
// PROVISIONAL: replaced by the real grammar before commit.
public interface Predicate {
    static Predicate parse(String text, java.util.Collection<String> columns) {
        String[] p = text.split("=", 2);
        String col = p[0].trim();
        String lit = p[1].trim();
        String v = lit.substring(1, lit.length() - 1);
        if (!columns.contains(col)) throw new PredicateException("delete_when: unknown column '" + col + "'");
        return new Predicate() {
            public String toSql(java.util.function.UnaryOperator<String> q) { return "(" + q.apply(col) + " = '" + v.replace("'", "''") + "')"; }
            public Boolean evaluate(java.util.function.Function<String, Object> row) { Object o = row.apply(col); return o == null ? null : o.equals(v); }
            public java.util.Set<String> columns() { return java.util.Set.of(col); }
        };
    }
    String toSql(java.util.function.UnaryOperator<String> quoteIdentifier);
    Boolean evaluate(java.util.function.Function<String, Object> row);
    java.util.Set<String> columns();
}
