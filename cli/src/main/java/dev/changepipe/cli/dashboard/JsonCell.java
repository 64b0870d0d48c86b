package dev.changepipe.cli.dashboard;

import java.math.BigDecimal;

/** A query value as the pages get it: numbers and booleans as JSON numbers and booleans, anything else as its text. */
final class JsonCell {
    private JsonCell() {}

    static Object of(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Double || value instanceof Float) {
            return value;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
