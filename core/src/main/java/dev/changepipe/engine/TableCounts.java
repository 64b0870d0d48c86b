package dev.changepipe.engine;

/** The row counts of a pipeline's tables, as committed. */
public record TableCounts(long raw, long rejects, long current, long changes, long history) {}
