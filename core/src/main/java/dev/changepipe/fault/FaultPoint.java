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
    /** A file has been read into the engine's staging area; its load has not reached its commit point. */
    AFTER_STAGE,
    /**
     * Spark only: a load's raw rows are appended to the raw table; its rejects and ledger entries are not
     * (the window the engine's recovery of an uncommitted load exists for).
     */
    RAW_APPENDED,
    /**
     * A load has written everything but its commit point: on DuckDB inside the load's transaction, its
     * ledger entries and raw rows written; on Spark its raw rows and rejects appended, its ledger entries not.
     */
    LOAD_BEFORE_COMMIT,
    /** A load has committed (on Spark: its ledger entries are appended); the tasks have not started. */
    LOAD_COMMITTED,
    /**
     * The current-table task is about to commit: on DuckDB inside its transaction, all of its statements
     * run; on Spark right before its one MERGE, which is its commit.
     */
    CURRENT_BEFORE_COMMIT,
    /** The current-table task has committed work; the history task has not started. */
    CURRENT_COMMITTED,
    /** The history task is about to commit, as {@link #CURRENT_BEFORE_COMMIT} is for the current task. */
    HISTORY_BEFORE_COMMIT,
    /** The history task has committed work; the cycle's next pass has not started. */
    HISTORY_COMMITTED;

    /** The points an engine of this kind reaches: Spark's own one is not reached by the embedded engine. */
    public boolean reachedOn(String engineType) {
        return this != RAW_APPENDED || "spark".equals(engineType);
    }

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
