package dev.changepipe.spec;

import java.time.Duration;

/**
 * When tasks run: as soon as files land, and at least every {@code every}. A file is taken once it
 * has not changed for {@code settle}, so a file still being written is never read half-way.
 */
public record Schedule(Duration every, Duration settle) {
    public static final Schedule DEFAULT = new Schedule(Duration.ofMinutes(1), Duration.ofMillis(200));
}
