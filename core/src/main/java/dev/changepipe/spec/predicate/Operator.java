package dev.changepipe.spec.predicate;

/** Comparison operators of the grammar; {@code !=} is accepted as a spelling of {@code <>}. */
public enum Operator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** The symbol used in SQL and in the canonical text form. */
    public String symbol() {
        return symbol;
    }

    /** Whether a three-way comparison result (negative, zero, positive) satisfies this operator. */
    public boolean test(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
        };
    }

    /** The operator for a symbol as written in a condition, or null if it is not one. */
    static Operator fromSymbol(String symbol) {
        if (symbol.equals("!=")) {
            return NE;
        }
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }
}
