package dev.changepipe.engine;

import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.Identifier;

/** The names under which offsets are kept: the two tasks', and each named change feed consumer's. */
public final class Consumers {
    /** The current task's offset: the last raw file id it consumed. */
    public static final String CURRENT = "raw->current";
    /** The history task's offset. */
    public static final String HISTORY = "raw->history";
    private static final String FEED_PREFIX = "feed:";

    private Consumers() {}

    /**
     * The offset name of a change feed consumer.
     *
     * @throws ChangepipeException a user error when the name is not an identifier
     */
    public static String feed(String consumer) {
        Identifier.problem(consumer).ifPresent(p -> {
            throw ChangepipeException.user("consumer name " + p);
        });
        return FEED_PREFIX + consumer;
    }
}
