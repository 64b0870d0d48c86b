package dev.changepipe.engine;

import java.time.Instant;

/** A consumer's committed offset: for a task the last raw file id it consumed, for a feed consumer the last commit version. */
public record Offset(String consumer, long committed, Instant committedAt) {}
