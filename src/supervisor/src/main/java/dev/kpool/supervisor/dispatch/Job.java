package dev.kpool.supervisor.dispatch;

import java.util.concurrent.CompletableFuture;

/** Work waiting for a worker, and the future its outcome completes. */
record Job(TaskWork work, CompletableFuture<Outcome> outcome) {}
