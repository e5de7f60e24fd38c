package dev.kpool.client;

/**
 * What a finished tree of tasks came to.
 *
 * @param tasks tasks in the tree, the root included, each counted once
 * @param succeeded those that returned a result
 * @param failed those that raised, timed out or were cancelled
 */
public record TreeSummary(long tasks, long succeeded, long failed) {}
