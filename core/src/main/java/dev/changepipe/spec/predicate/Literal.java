package dev.changepipe.spec.predicate;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A constant in a condition. There is deliberately no NULL literal: {@code x = NULL} is never TRUE
 * in SQL, so the grammar only offers {@code IS [NOT] NULL}.
 *
 * <p>{@code toString()} is the canonical text form of the literal; SQL gets its {@link #sqlValue()}.
 */
public sealed interface Literal permits Literal.StringLiteral, Literal.NumberLiteral, Literal.BooleanLiteral {

    static Literal string(String value) {
        return new StringLiteral(value);
    }

    static Literal number(String value) {
        return new NumberLiteral(new BigDecimal(value));
    }

    static Literal number(long value) {
        return new NumberLiteral(BigDecimal.valueOf(value));
    }

    static Literal bool(boolean value) {
        return new BooleanLiteral(value);
    }

    /**
     * The literal as a value to bind or to write by a dialect's escaping rule: a String, a Boolean, a
     * Long for a whole number that fits one, else a BigDecimal.
     */
    Object sqlValue();

    /** A single-quoted string; rendered with {@code ''} doubling so it can never close early. */
    record StringLiteral(String value) implements Literal {
        public StringLiteral {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Object sqlValue() {
            return value;
        }

        /** The canonical text form: {@code ''} doubling, as the grammar reads it. */
        @Override
        public String toString() {
            return "'" + value.replace("'", "''") + "'";
        }
    }

    /** An integer or decimal; the scale is kept so {@code 1.50} renders as written. */
    record NumberLiteral(BigDecimal value) implements Literal {
        public NumberLiteral {
            Objects.requireNonNull(value, "value");
            // A negative scale would render as 1E+3, which is not in the grammar.
            if (value.scale() < 0) {
                value = value.setScale(0);
            }
        }

        @Override
        public Object sqlValue() {
            if (value.scale() == 0 && value.unscaledValue().bitLength() < 64) {
                return value.longValueExact();
            }
            return value;
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }

    record BooleanLiteral(boolean value) implements Literal {
        @Override
        public Object sqlValue() {
            return value;
        }

        @Override
        public String toString() {
            return value ? "TRUE" : "FALSE";
        }
    }
}
