package dev.kpool.supervisor.dispatch;

import dev.kpool.supervisor.process.WorkerProcess;
import java.util.Set;

/** A worker process that answered hello and ran its initializer: ready for tasks. */
record StartedWorker(WorkerProcess process, Set<String> tasks, long startedAtNanos) {}
