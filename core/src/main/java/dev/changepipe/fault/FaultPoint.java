package dev.changepipe.fault;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named places where the crash harness can stop the process dead, as {@code kill -9} would: no
 * finally blocks, no shutdown hooks, no commit. Armed only by the system property
 * {@value #PROPERTY}, read here and nowhere else, as a list of {@code point@n}: the process halts the
 * n-th time it reaches that point. Unarmed, reaching a point costs one map lookup.
 */
public enum FaultPoint {
    /** A file has been read into the engine's staging area; its load transaction has not begun. */
    AFTER_STAGE,
    /** Inside a file's load transaction, right after its ledger entry is written. */
    LEDGER_WRITTEN,
    /** Inside the current-table transaction, all of its statements run, before the commit. */
    CURRENT_BEFORE_COMMIT,
    /** The current-table task has committed; the history task has not started. */
    BETWEEN_CURRENT_AND_HISTORY,
    /** Inside the history transaction, all of its statements run, before the commit. */
    HISTORY_BEFORE_COMMIT;

    public static final String PROPERTY = "changepipe.faults";
    /** The exit status of a halt at a fault point, so the harness can tell it from a crash. */
    public static final int HALT_STATUS = 86;

    private static final Map<FaultPoint, Integer> ARMED = parse(System.getProperty(PROPERTY, ""));
    private static final Map<FaultPoint, Integer> REACHED = new HashMap<>();

    /** The name used in {@value #PROPERTY}, e.g. {@code current-before-commit}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Halts the process if this point is armed for this visit. */
    public void reached() {
        Integer at = ARMED.get(this);
        if (at == null) {
            return;
        }
        int count;
        synchronized (REACHED) {
            count = REACHED.merge(this, 1, Integer::sum);
        }
        if (count == at) {
            System.err.println("changepipe: halting at fault point " + label() + " (visit " + count + ")");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    static Map<FaultPoint, Integer> parse(String text) {
        Map<FaultPoint, Integer> armed = new HashMap<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            String[] parts = item.trim().split("@", 2);
            FaultPoint point = null;
            for (FaultPoint candidate : values()) {
                if (candidate.label().equals(parts[0])) {
                    point = candidate;
                }
            }
            if (point == null || parts.length != 2 || !parts[1].matches("[1-9][0-9]*")) {
                throw new IllegalArgumentException(PROPERTY + ": '" + item + "' is not point@n with a point among "
                        + java.util.Arrays.stream(values()).map(FaultPoint::label).toList());
            }
            armed.put(point, Integer.parseInt(parts[1]));
        }
        return Map.copyOf(armed);
    }
}
