package dev.changepipe.engine;

/** One titled part of {@code changepipe status}: load history, rejects, task history, offsets, row counts. */
public record StatusSection(String title, QueryResult rows) {}
