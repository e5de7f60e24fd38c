package dev.kpool.supervisor.dispatch;

import dev.kpool.supervisor.process.WorkerHandle;
import java.util.Set;

/**
 * A worker that answered hello and ran its initializer: ready for tasks.
 *
 * @param startedAtNanos when it became ready, on the pool's {@link PoolClock#nanoTime()}
 */
record StartedWorker(WorkerHandle process, Set<String> tasks, long startedAtNanos) {}
