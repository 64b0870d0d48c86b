package dev.changepipe.spec.predicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random trees rendered with toString must parse back to an equal tree. */
class PredicateRoundTripTest {

    // Includes a keyword-named column, which only round-trips if toString quotes it.
    static final List<String> COLUMNS = List.of("op", "amount", "Status", "_seq", "in", "NOT_", "x1");
    static final int TREES_PER_SEED = 300;
    // Every character a hostile literal might use.
    static final String STRING_CHARS = "aZ0 '\";-/*()=,%_\t\né\uD83D\uDE00\\:?${}";

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 20240101, -7, Long.MAX_VALUE})
    void toStringParsesBackToTheSameTree(long seed) {
        Random random = new Random(seed);
        Set<Class<?>> kindsSeen = new HashSet<>();
        for (int i = 0; i < TREES_PER_SEED; i++) {
            Predicate original = predicate(random, 4);
            kindsSeen.add(original.getClass());
            String text = original.toString();

            Predicate parsed = Predicate.parse(text, COLUMNS);

            assertThat(parsed).as(text).isEqualTo(original);
            assertThat(parsed.toString()).isEqualTo(text);
            assertThat(parsed.columns()).isEqualTo(original.columns());
        }
        // Guards against a generator that quietly stopped producing some node kinds.
        assertThat(kindsSeen).contains(Comparison.class, InList.class, IsNull.class, Not.class, And.class, Or.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7})
    void textWithOtherKeywordAndColumnCaseParsesToTheSameTree(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < TREES_PER_SEED; i++) {
            Predicate original = predicate(random, 3);
            String text = recase(original.toString(), random);
            assertThat(Predicate.parse(text, COLUMNS)).as(text).isEqualTo(original);
        }
    }

    private static Predicate predicate(Random random, int depth) {
        int choice = random.nextInt(depth <= 0 ? 3 : 6);
        return switch (choice) {
            case 0 -> new Comparison(column(random), Operator.values()[random.nextInt(Operator.values().length)], literal(random));
            case 1 -> new InList(column(random), literals(random), random.nextBoolean());
            case 2 -> new IsNull(column(random), random.nextBoolean());
            case 3 -> new Not(predicate(random, depth - 1));
            case 4 -> new And(operands(random, depth));
            default -> new Or(operands(random, depth));
        };
    }

    private static List<Predicate> operands(Random random, int depth) {
        List<Predicate> operands = new ArrayList<>();
        int count = 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            operands.add(predicate(random, depth - 1));
        }
        return operands;
    }

    private static List<Literal> literals(Random random) {
        List<Literal> literals = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            literals.add(literal(random));
        }
        return literals;
    }

    private static String column(Random random) {
        return COLUMNS.get(random.nextInt(COLUMNS.size()));
    }

    private static Literal literal(Random random) {
        switch (random.nextInt(3)) {
            case 0: {
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(8);
                for (int i = 0; i < length; i++) {
                    int at = random.nextInt(STRING_CHARS.length());
                    // Keep the surrogate pair whole.
                    if (Character.isLowSurrogate(STRING_CHARS.charAt(at))) {
                        at--;
                    }
                    value.appendCodePoint(STRING_CHARS.codePointAt(at));
                }
                return Literal.string(value.toString());
            }
            case 1: {
                BigInteger unscaled = new BigInteger(1 + random.nextInt(80), random);
                if (random.nextBoolean()) {
                    unscaled = unscaled.negate();
                }
                return new Literal.NumberLiteral(new BigDecimal(unscaled, random.nextInt(6)));
            }
            default:
                return Literal.bool(random.nextBoolean());
        }
    }

    /** Flips the case of every character outside string literals and quoted identifiers. */
    private static String recase(String text, Random random) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote == c) {
                quote = 0;
            }
            boolean flip = quote == 0 && random.nextBoolean();
            out.append(flip ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return out.toString();
    }
}
