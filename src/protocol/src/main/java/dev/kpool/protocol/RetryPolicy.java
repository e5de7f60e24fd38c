package dev.kpool.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a task may run and how long it waits between runs. A run that fails with a retryable
 * error, or whose worker crashes, is followed by another after {@link #delayBefore(int, double)},
 * until {@link #maxAttempts()} runs have been made. Pools have one in their configuration; a task
 * record may carry its own in the {@code kpool-retry-*} headers ({@link HeaderNames}).
 *
 * <p>Delays grow exponentially from {@link #backoff()}, capped at {@link #backoffMax()}, with
 * <em>equal jitter</em>: the wait before run {@code n} is {@code d/2 + random * d/2} where {@code d
 * = min(backoffMax, backoff * 2^(n-2))}. Equal rather than full jitter because a retry is often
 * caused by something that needs time (a crashed dependency, a worker being replaced): full jitter
 * may retry almost at once, equal jitter always waits at least half the step while still spreading
 * a burst of failures over the other half.
 *
 * @param maxAttempts runs of the task, the first included; 1 means never retried
 * @param backoff the step before the second run
 * @param backoffMax the most a step grows to
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration backoffMax) {

  /**
   * @throws IllegalArgumentException if {@code maxAttempts < 1}, a duration is negative, or {@code
   *     backoffMax < backoff}
   */
  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(backoffMax, "backoffMax");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (backoff.isNegative() || backoffMax.isNegative()) {
      throw new IllegalArgumentException(
          "backoff durations must not be negative: " + backoff + ", " + backoffMax);
    }
    if (backoffMax.compareTo(backoff) < 0) {
      throw new IllegalArgumentException(
          "backoffMax " + backoffMax + " is below backoff " + backoff);
    }
  }

  /** Whether a run numbered {@code attempt} (from 1) that failed retryably may be followed by another. */
  public boolean allowsAnotherAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The wait before run {@code nextAttempt} (2 for the first retry).
   *
   * @param random a uniform sample from [0, 1), the jitter
   */
  public Duration delayBefore(int nextAttempt, double random) {
    long base = backoff.toMillis();
    long cap = backoffMax.toMillis();
    int doublings = Math.max(0, nextAttempt - 2);
    // Compared before shifting, so that a large attempt number cannot overflow the step.
    long step = doublings < 62 && base <= (cap >> doublings) ? base << doublings : cap;
    long half = step / 2;
    return Duration.ofMillis(half + (long) (Math.max(0, Math.min(1, random)) * (step - half)));
  }
}
