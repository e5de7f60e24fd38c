package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FrameException;
import java.io.IOException;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;

/**
 * Pipelining, as Pool's task queue does: the next tasks' frames wait in the worker's stdin, so it
 * starts the next one the moment it writes a result, without a round trip through the slot's
 * thread. Holds the jobs sent ahead, in the order the worker runs them, and the ids among them that
 * were cancelled and must kill the worker when they start.
 *
 * <p>{@link #fill}, {@link #take}, {@link #returnAll} and {@link #giveBack} run on the slot's thread;
 * {@link #cancel} on any thread.
 */
final class SendAhead {
  private static final double PREFETCH_BELOW_MILLIS = 50;

  private final PoolContext ctx;
  private final TaskFrames frames;

  /** Whether a job that never started goes back to the queue: false once the slot is stopping. */
  private final BooleanSupplier requeue;

  private final Deque<Job> ahead = new ConcurrentLinkedDeque<>();
  private final Set<String> cancelOnStart = ConcurrentHashMap.newKeySet();

  SendAhead(PoolContext ctx, TaskFrames frames, BooleanSupplier requeue) {
    this.ctx = ctx;
    this.frames = frames;
    this.requeue = requeue;
  }

  /**
   * If task {@code id} was sent ahead, marks it to kill the worker when it starts.
   *
   * @return whether it was sent ahead
   */
  boolean cancel(String id) {
    boolean sentAhead = ahead.stream().anyMatch(job -> job.work().id().equals(id));
    if (sentAhead) {
      cancelOnStart.add(
          id); // its frame is in the worker's stdin: kill the worker once it starts it
    }
    return sentAhead;
  }

  /** Removes {@code job} as it starts; returns whether it had been sent ahead. */
  boolean take(Job job) {
    return ahead.remove(job);
  }

  /** Whether task {@code id} was cancelled while its frame waited; clears the mark. */
  boolean cancelledOnStart(String id) {
    return cancelOnStart.remove(id);
  }

  /** The next job the worker runs, already sent; null if none. */
  Job next() {
    return ahead.peekFirst();
  }

  /**
   * Sends queued jobs ahead while {@code allowed} holds. Only while no other worker is idle or
   * starting, and only for short tasks: a job sent ahead is bound to this worker, and a long one
   * would wait here while another worker idles (a new pool's average is a guess, so the first check
   * is what keeps its first long tasks apart). Never past the worker's task limit; {@code allowed}
   * turns false once the slot stops or its worker is being replaced.
   *
   * @param tasksRun tasks the worker has started, not counting those sent ahead
   */
  void fill(StartedWorker w, int tasksRun, BooleanSupplier allowed) throws InterruptedException {
    int limit = ctx.config().prefetch();
    while (ahead.size() < limit
        && allowed.getAsBoolean()
        && ctx.stats().avgTaskMillis() < PREFETCH_BELOW_MILLIS
        && !taskLimitReached(tasksRun)
        && ctx.idleOrStartingWorkers().getAsInt() == 0) {
      Job next = ctx.queue().poll();
      if (next == null) {
        return;
      }
      Outcome refused = frames.refusal(w, next.work());
      if (refused != null) {
        next.outcome().complete(refused);
        continue;
      }
      try {
        w.process().send(frames.frame(next.work()));
        ahead.addLast(next);
        if (ctx.cancelled().test(next.work().id())) {
          // Cancelled between leaving the queue and joining ahead, where cancel() looked for it in
          // neither: ProcessPool.cancel records the id before it looks, so this check sees it.
          cancelOnStart.add(next.work().id());
        }
      } catch (FrameException e) {
        next.outcome().complete(TaskFrames.tooLarge(next.work(), e));
      } catch (IOException e) {
        ctx.queue().offerFirst(next); // the running task's wait sees the worker's end
        return;
      }
    }
  }

  private boolean taskLimitReached(int tasksRun) {
    OptionalInt max = ctx.config().maxTasksPerChild();
    return max.isPresent() && tasksRun + 1 + ahead.size() >= max.getAsInt();
  }

  /** Jobs sent ahead to a worker that ended go back to the front of the queue, in order. */
  void returnAll() {
    Job job;
    while ((job = ahead.pollLast()) != null) {
      giveBack(job);
    }
  }

  /** A job that never started goes back to the front of the queue, unless the slot is stopping. */
  void giveBack(Job job) {
    if (cancelOnStart.remove(job.work().id())) {
      job.outcome().complete(Outcome.cancelled(0, 0));
    } else if (requeue.getAsBoolean()) {
      ctx.queue().offerFirst(job);
    } else {
      job.outcome().complete(Outcome.notRun());
    }
  }
}
