package dev.changepipe.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Conventions of the file ledger that every engine shares. */
public final class Ledger {
    private Ledger() {}

    /** Timestamps are kept to the microsecond, the precision both engines store. */
    public static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
