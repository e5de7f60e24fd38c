package dev.kpool.protocol;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pause of a long-lived loop (a Kafka consumer's poll loop, say) between a failed pass and the
 * next: it doubles from {@code initial} up to {@code max} while passes keep failing, and starts
 * again from {@code initial} after a pass that worked. A loop that outlives a broker outage this way
 * neither spins on its errors nor waits long once the broker is back.
 *
 * <p>Not thread-safe: it belongs to the one thread that runs the loop.
 */
public final class LoopBackoff {
  /** Slices of a pause, so that a loop told to stop does not sleep out its whole pause. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long initialNanos;
  private final long maxNanos;
  private long nextNanos;
  private int failures;

  /**
   * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is below it
   */
  public LoopBackoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = initialNanos;
  }

  /** A pass worked: the next failure pauses for {@code initial} again. */
  public void succeeded() {
    failures = 0;
    nextNanos = initialNanos;
  }

  /**
   * A pass failed: counts it and returns the pause that {@link #pause} will take next, which
   * doubles with each failure in a row up to {@code max}.
   */
  public Duration failed() {
    failures++;
    Duration pause = Duration.ofNanos(nextNanos);
    nextNanos = Math.min(maxNanos, nextNanos * 2);
    return pause;
  }

  /** Failed passes since the last one that worked. */
  public int failures() {
    return failures;
  }

  /**
   * Sleeps {@code pause}, or less if {@code keepWaiting} turns false (checked every 50 ms).
   *
   * @throws InterruptedException if the thread is interrupted while it sleeps
   */
  public static void sleep(Duration pause, BooleanSupplier keepWaiting)
      throws InterruptedException {
    long deadline = System.nanoTime() + pause.toNanos();
    for (long left = pause.toNanos();
        left > 0 && keepWaiting.getAsBoolean();
        left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
    }
  }
}
