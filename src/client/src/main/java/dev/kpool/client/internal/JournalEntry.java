package dev.kpool.client.internal;

import dev.kpool.client.DetachedTask;

/**
 * The value of a {@code submitted} journal record: what a durable client sent, so that a later run
 * can list it and re-attach to it. Chunk {@code n} of a map has the task id {@code <id>:<n>}.
 *
 * @param id the apply's task id, or the map's id
 * @param task the registered task name
 * @param kind apply or map
 * @param items input items
 * @param chunksize items per task record
 * @param chunks task records
 * @param submittedAt epoch milliseconds
 */
record JournalEntry(
    String id,
    String task,
    DetachedTask.Kind kind,
    int items,
    int chunksize,
    int chunks,
    long submittedAt) {}
