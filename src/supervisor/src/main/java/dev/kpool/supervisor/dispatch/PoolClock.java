package dev.kpool.supervisor.dispatch;

/**
 * The time a pool's slots read: a monotonic clock for intervals, and wall time for task deadlines,
 * which are epoch milliseconds. Production uses {@link #SYSTEM}; tests pass a settable one, so that
 * deadlines, heartbeat silence, worker age and restart pacing need no real waiting. Thread-safe.
 */
interface PoolClock {
  /** The JVM's clocks. */
  PoolClock SYSTEM =
      new PoolClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long epochMillis() {
          return System.currentTimeMillis();
        }
      };

  /** A {@link System#nanoTime()}-like reading: compare by difference only. */
  long nanoTime();

  /** Milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
  long epochMillis();
}
