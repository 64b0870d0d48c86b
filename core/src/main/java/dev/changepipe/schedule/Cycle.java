package dev.changepipe.schedule;

/**
 * What one pass over the tasks did.
 *
 * @param filesSeen files the landing zone handed out this cycle
 * @param workDone whether any task changed data
 * @param failed whether a task failed after its retries; its input is retried next cycle
 * @param filesSettling whether files were still being written and will be taken later
 */
public record Cycle(int filesSeen, boolean workDone, boolean failed, boolean filesSettling) {}
