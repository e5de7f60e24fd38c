package dev.kpool.supervisor.dispatch;

import dev.kpool.supervisor.process.ProcessMemory;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * When a slot's worker is due for replacement, and the replacement itself: after max tasks per
 * child (a hard limit, as in Pool), or past its age or memory limit (soft: it finishes its task
 * first). The replacement starts on the pool's background executor while the old worker still
 * runs, so recycling does not cost capacity. Used only by its slot's thread.
 */
final class Recycling {
  private static final Logger LOG =
      Logger.getLogger(WorkerSlot.class); // logs as its slot, as before the split

  private final PoolContext ctx;
  private final String name;
  private CompletableFuture<StartedWorker> replacement;

  Recycling(PoolContext ctx, String name) {
    this.ctx = ctx;
    this.name = name;
  }

  /** Whether the task about to start is the last the worker may run. */
  boolean isLastAllowedTask(int tasksRun) {
    OptionalInt max = ctx.config().maxTasksPerChild();
    return max.isPresent() && tasksRun + 1 >= max.getAsInt();
  }

  /** Whether the worker has run all the tasks it may. */
  boolean taskLimitReached(int tasksRun) {
    OptionalInt max = ctx.config().maxTasksPerChild();
    return max.isPresent() && tasksRun >= max.getAsInt();
  }

  /** Why {@code w} is due for a soft recycle (age, memory), or null if it is not. */
  String softReason(StartedWorker w) {
    if (ctx.config().maxAgePerChild().isPresent()
        && ctx.clock().nanoTime() - w.startedAtNanos()
            > ctx.config().maxAgePerChild().get().toNanos()) {
      return "age over " + ctx.config().maxAgePerChild().get();
    }
    if (ctx.config().maxMemoryPerChild().isPresent()) {
      long limit = ctx.config().maxMemoryPerChild().get().asLongValue();
      OptionalLong rss = ProcessMemory.residentBytes(w.process().pid());
      if (rss.isPresent() && rss.getAsLong() > limit) {
        return "resident memory "
            + rss.getAsLong() / (1024 * 1024)
            + " MiB over "
            + limit / (1024 * 1024)
            + " MiB";
      }
    }
    return null;
  }

  /** Whether a replacement is starting or ready. */
  boolean replacing() {
    return replacement != null;
  }

  /** Starts a replacement unless one is already on its way; never blocks. */
  void start() {
    if (replacement == null) {
      replacement =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ctx.launcher().launch(ctx, name);
                } catch (IOException e) {
                  LOG.warnf(
                      "pool %s: replacement for worker %s failed to start: %s",
                      ctx.pool(), name, e.getMessage());
                  WorkerSlot.recordRestart(ctx);
                  throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              },
              ctx.background());
    }
  }

  /** Blocks until the replacement has started or failed to; a failure was logged. */
  void await() {
    try {
      replacement.join();
    } catch (RuntimeException e) {
      // the start failure was logged; the normal restart path takes over
    }
  }

  /**
   * Takes the replacement if it finished starting.
   *
   * @return the new worker, or null if none is ready (a failed one is dropped)
   */
  StartedWorker takeReady() {
    if (replacement == null || !replacement.isDone()) {
      return null;
    }
    CompletableFuture<StartedWorker> done = replacement;
    replacement = null;
    return done.isCompletedExceptionally() ? null : done.join();
  }

  /** Stops the replacement, now or once it has started: the slot is leaving. */
  void discard() {
    if (replacement != null) {
      replacement.thenAccept(r -> r.process().stop(ctx.config().killGrace()));
    }
  }
}
