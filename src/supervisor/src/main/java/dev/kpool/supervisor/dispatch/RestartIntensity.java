package dev.kpool.supervisor.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The restart intensity of one pool, as Erlang/OTP supervisors have it: at most {@code max}
 * restarts within {@code period}; past that, the pool backs off for {@code backoff}, so that a
 * worker that cannot start (or a task that kills every worker) does not spin the machine.
 *
 * <p>A slot whose worker cannot start at all waits out the whole backoff. Otherwise backing off
 * paces each slot by its own record instead of stopping the whole pool: a slot whose last worker
 * finished a task restarts at once, since its death was a task's or an outsider's doing (a poison
 * task is bounded by its own attempts, an outside kill storm by nothing kpool controls), and a pool
 * that stopped for them would serve nothing while tasks wait. A slot whose workers keep ending
 * without finishing a task waits {@value #SLOT_BACKOFF_MILLIS} ms after the first such worker,
 * doubling with each one after it, up to {@code backoff}. Thread-safe.
 */
final class RestartIntensity {
  /** A slot's first pause, while the pool backs off, after a worker that finished no task. */
  static final long SLOT_BACKOFF_MILLIS = 250;

  private final int max;
  private final long periodNanos;
  private final long backoffNanos;
  private final LongSupplier clock;
  private final Deque<Long> restarts = new ArrayDeque<>();
  private long backoffUntil;
  private boolean everBackedOff;

  /** @param clock a {@link System#nanoTime()}-like clock; tests pass a settable one */
  RestartIntensity(int max, Duration period, Duration backoff, LongSupplier clock) {
    this.max = max;
    this.periodNanos = period.toNanos();
    this.backoffNanos = backoff.toNanos();
    this.clock = clock;
  }

  /**
   * Records a restart.
   *
   * @return whether this restart pushed the pool past its intensity (it now backs off)
   */
  synchronized boolean record() {
    long now = clock.getAsLong();
    restarts.addLast(now);
    while (!restarts.isEmpty() && now - restarts.peekFirst() > periodNanos) {
      restarts.removeFirst();
    }
    if (restarts.size() > max && !backingOff()) {
      backoffUntil = now + backoffNanos;
      everBackedOff = true;
      restarts.clear();
      return true;
    }
    return false;
  }

  /** Whether restarts must wait now. */
  synchronized boolean backingOff() {
    // nanoTime values are compared by difference only; before the first trip there is no deadline
    return everBackedOff && clock.getAsLong() - backoffUntil < 0;
  }

  /** Nanoseconds until restarts may go on; 0 when not backing off. */
  synchronized long remainingNanos() {
    return backingOff() ? backoffUntil - clock.getAsLong() : 0;
  }

  /** Whether the pool has backed off at least once since it started. */
  synchronized boolean everBackedOff() {
    return everBackedOff;
  }

  /**
   * Nanoseconds a slot must still wait before it starts a worker: none while the pool is within
   * its intensity or the slot's last worker finished a task; else its own backoff, counted from the
   * end of its last worker.
   *
   * @param barrenWorkers the slot's workers in a row that ended without finishing a task
   * @param lastEndNanos when the last of them ended, on this intensity's clock
   */
  synchronized long slotWaitNanos(int barrenWorkers, long lastEndNanos) {
    if (barrenWorkers == 0 || !backingOff()) {
      return 0;
    }
    long pause =
        Math.min(
            backoffNanos,
            TimeUnit.MILLISECONDS.toNanos(SLOT_BACKOFF_MILLIS) << Math.min(barrenWorkers - 1, 20));
    return Math.max(0, lastEndNanos + pause - clock.getAsLong());
  }
}
