package dev.kpool.supervisor.scaling;

import java.time.Duration;

/**
 * Decides how many worker processes a pool should have, from what it observes. Pure and
 * single-threaded: the pool's scaler thread owns it.
 *
 * <p>Up: when every worker is busy and the queue ahead of them would take longer to drain than a
 * new worker takes to start, add enough workers to drain it in about one start time. Down: when a
 * worker has been idle longer than the idle timeout, retire one. Never outside [min, max], and at
 * most one step per cooldown.
 */
public final class ScalingPolicy {
  private final int min;
  private final int max;
  private final long cooldownNanos;
  private final long idleTimeoutMillis;
  private long lastStep = Long.MIN_VALUE / 2;

  public ScalingPolicy(int min, int max, Duration cooldown, Duration idleTimeout) {
    this.min = min;
    this.max = max;
    this.cooldownNanos = cooldown.toNanos();
    this.idleTimeoutMillis = idleTimeout.toMillis();
  }

  /**
   * What the pool looks like now.
   *
   * @param workers slots that run or start a worker (retiring ones excluded)
   * @param busy workers running a task
   * @param queued tasks waiting for a worker
   * @param avgTaskMillis recent mean task time
   * @param startMillis recent mean time a new worker takes to be ready
   * @param longestIdleMillis how long the longest-idle worker has been idle, 0 if none is
   */
  public record Observation(
      int workers,
      int busy,
      int queued,
      double avgTaskMillis,
      double startMillis,
      long longestIdleMillis) {}

  /**
   * @return workers to add (positive), to retire (negative), or 0
   */
  public int decide(Observation o, long nowNanos) {
    if (o.workers() < min) {
      return mark(min - o.workers(), nowNanos);
    }
    if (nowNanos - lastStep < cooldownNanos) {
      return 0;
    }
    if (o.queued() > 0 && o.busy() >= o.workers() && o.workers() < max) {
      double drainMillis = o.queued() * Math.max(o.avgTaskMillis(), 0.1) / Math.max(1, o.workers());
      double start = Math.max(o.startMillis(), 1);
      if (drainMillis > start || o.workers() == 0) {
        int wanted = (int) Math.ceil(o.queued() * Math.max(o.avgTaskMillis(), 0.1) / start);
        int add = Math.max(1, Math.min(max - o.workers(), wanted - o.workers()));
        return mark(add, nowNanos);
      }
    }
    if (o.workers() > min && o.longestIdleMillis() > idleTimeoutMillis && o.queued() == 0) {
      return mark(-1, nowNanos);
    }
    return 0;
  }

  private int mark(int step, long nowNanos) {
    lastStep = nowNanos;
    return step;
  }
}
