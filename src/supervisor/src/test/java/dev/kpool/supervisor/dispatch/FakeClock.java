package dev.kpool.supervisor.dispatch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link PoolClock} that moves only when told to. Thread-safe. */
final class FakeClock implements PoolClock {
  private static final long EPOCH_MILLIS = 1_800_000_000_000L;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long epochMillis() {
    return EPOCH_MILLIS + nanos.get() / 1_000_000;
  }
}
