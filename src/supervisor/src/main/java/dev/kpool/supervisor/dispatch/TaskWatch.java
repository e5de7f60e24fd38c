package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.process.WorkerExitedException;
import dev.kpool.supervisor.process.WorkerHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Watches the task a worker runs until its outcome: the result, its deadline passing (the worker is
 * killed, the task times out), heartbeat silence for three intervals (the worker is killed as
 * hung, a crash), or the worker's end. Used only by its slot's thread; the interruption it reads is
 * set from other threads, which kill the worker themselves.
 */
final class TaskWatch {
  private static final Logger LOG =
      Logger.getLogger(WorkerSlot.class); // logs as its slot, as before the split

  private final PoolContext ctx;
  private final String name;
  private final TaskFrames frames;
  private final Supplier<Interruption> interruption;

  TaskWatch(PoolContext ctx, String name, TaskFrames frames, Supplier<Interruption> interruption) {
    this.ctx = ctx;
    this.name = name;
    this.frames = frames;
    this.interruption = interruption;
  }

  /** Waits for {@code work}'s outcome on {@code w}, which runs it now; blocks. */
  Outcome await(WorkerHandle w, TaskWork work) throws InterruptedException {
    long start = ctx.clock().nanoTime();
    long deadlineMillis =
        frames.deadlineFromNow(work); // from the task's start, not from when it was sent ahead
    Duration silence = ctx.config().heartbeatInterval().multipliedBy(3);
    try {
      while (true) {
        long left = deadlineMillis - ctx.clock().epochMillis();
        // Once interrupted, just wait for the killed process's stream to end.
        long wait =
            interruption.get() != Interruption.NONE
                ? 50
                : Math.max(1, Math.min(left, silence.toMillis()));
        FromWorker frame = w.next(Duration.ofMillis(wait));
        // A result that comes once the task is cancelled is dropped: its worker is being killed.
        if (frame instanceof FromWorker.Result result
            && work.id().equals(result.id())
            && interruption.get() != Interruption.CANCELLED) {
          Outcome.Kind kind = result.error() == null ? Outcome.Kind.OK : Outcome.Kind.FAILED;
          return new Outcome(kind, result.results(), result.error(), w.pid(), elapsedMillis(start));
        }
        if (frame == null && interruption.get() == Interruption.NONE) {
          if (ctx.clock().epochMillis() >= deadlineMillis) {
            LOG.warnf(
                "pool %s: task %s passed its deadline on worker %s pid %d; killing it",
                ctx.pool(), work.id(), name, w.pid());
            w.kill(ctx.config().killGrace());
            return new Outcome(
                Outcome.Kind.TIMED_OUT,
                List.of(),
                RemoteError.of(
                    RemoteError.TIMED_OUT,
                    "task ran past its deadline; worker pid " + w.pid() + " was killed"),
                w.pid(),
                elapsedMillis(start));
          }
          LOG.warnf(
              "pool %s: worker %s pid %d sent no heartbeat for %s on task %s; killing it",
              ctx.pool(), name, w.pid(), silence, work.id());
          w.kill(ctx.config().killGrace());
          return crashed(w, "worker hung: no heartbeat for " + silence, start);
        }
      }
    } catch (WorkerExitedException e) {
      return ended(w, e, start);
    }
  }

  /** The outcome of a task whose worker ended under it, by why it ended. */
  Outcome ended(WorkerHandle w, IOException e, long start) {
    return switch (interruption.get()) {
      case CANCELLED -> Outcome.cancelled(w.pid(), elapsedMillis(start));
      case TERMINATED -> Outcome.notRun();
      case NONE -> crashed(w, e.getMessage(), start);
    };
  }

  private Outcome crashed(WorkerHandle w, String why, long start) {
    if (w.isAlive()) {
      w.kill(ctx.config().killGrace());
    }
    LOG.warnf(
        "pool %s: worker %s pid %d ended while running a task: %s", ctx.pool(), name, w.pid(), why);
    ctx.stats().workerCrashed();
    WorkerSlot.recordRestart(ctx);
    return new Outcome(
        Outcome.Kind.CRASHED,
        List.of(),
        new RemoteError(RemoteError.WORKER_CRASHED, "worker crashed: " + why, "", true, 0),
        w.pid(),
        elapsedMillis(start));
  }

  private long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime() - startNanos);
  }
}
