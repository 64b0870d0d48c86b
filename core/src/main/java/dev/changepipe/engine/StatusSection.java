package dev.changepipe.engine;

/** One titled part of {@code changepipe status} ({@link StatusView}): row counts, offsets, load history, rejects, task history. */
public record StatusSection(String title, QueryResult rows) {}
