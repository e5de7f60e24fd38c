package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.ToWorker;
import java.util.List;

/**
 * What a worker is sent for a job, and whether it may be sent at all. Stateless past the pool's
 * context; any thread.
 */
final class TaskFrames {
  private final PoolContext ctx;

  TaskFrames(PoolContext ctx) {
    this.ctx = ctx;
  }

  ToWorker.Task frame(TaskWork work) {
    return new ToWorker.Task(
        work.id(),
        work.task(),
        work.contentType(),
        work.items(),
        work.attempt(),
        deadlineFromNow(work));
  }

  /** The task's own deadline, or the pool's task timeout counted from now. */
  long deadlineFromNow(TaskWork work) {
    return work.deadline() > 0
        ? work.deadline()
        : ctx.clock().epochMillis() + ctx.config().taskTimeout().toMillis();
  }

  /** The outcome of a job this worker must not be sent, or null if it may run it. */
  Outcome refusal(StartedWorker w, TaskWork work) {
    if (w.tasks().contains(work.task())) {
      return null;
    }
    return new Outcome(
        Outcome.Kind.FAILED,
        List.of(),
        RemoteError.of(
            RemoteError.UNKNOWN_TASK,
            "pool "
                + ctx.pool()
                + " has no task named '"
                + work.task()
                + "' (its workers registered "
                + w.tasks()
                + ")"),
        w.process().pid(),
        0);
  }

  static Outcome tooLarge(TaskWork work, FrameException e) {
    return new Outcome(
        Outcome.Kind.FAILED,
        List.of(),
        RemoteError.of(
            RemoteError.TOO_LARGE,
            "task " + work.id() + " does not fit in a frame: " + e.getMessage()),
        0,
        0);
  }
}
