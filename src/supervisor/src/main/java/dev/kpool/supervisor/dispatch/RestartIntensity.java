package dev.kpool.supervisor.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The restart intensity of one pool, as Erlang/OTP supervisors have it: at most {@code max}
 * restarts within {@code period}; past that, every restart of the pool waits {@code backoff}, so a
 * worker that cannot start (or a task that kills every worker) does not spin the machine. Thread-safe.
 */
final class RestartIntensity {
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
}
