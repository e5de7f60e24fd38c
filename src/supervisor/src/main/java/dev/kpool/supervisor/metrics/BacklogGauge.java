package dev.kpool.supervisor.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A pool's share-group backlog as a gauge that never asks Kafka when scraped: {@link #refresh}
 * reads it (on a background schedule, see {@link SupervisorMetrics}) and the gauges show the last
 * value read and how old it is. A scrape therefore costs no Kafka round trip and never blocks,
 * whatever state the broker is in. Thread-safe.
 */
final class BacklogGauge {
  private static final Logger LOG = Logger.getLogger(BacklogGauge.class);

  private final String pool;
  private final LongSupplier read;
  private final LongSupplier nanoTime;
  private volatile long value = -1;
  private volatile long readAtNanos;

  /**
   * @param read the backlog now; may block on Kafka and throw
   * @param nanoTime the clock the age is measured on
   */
  BacklogGauge(String pool, LongSupplier read, LongSupplier nanoTime) {
    this.pool = pool;
    this.read = read;
    this.nanoTime = nanoTime;
  }

  /** Reads the backlog now, blocking as the reader does; keeps the last value if it fails. */
  void refresh() {
    try {
      long backlog = read.getAsLong();
      readAtNanos = nanoTime.getAsLong();
      value = backlog;
    } catch (RuntimeException e) {
      LOG.debugf(
          "pool %s: backlog not read, the gauge keeps its last value: %s", pool, e.toString());
    }
  }

  /** The last backlog read; NaN before the first read succeeds. */
  double value() {
    return value < 0 ? Double.NaN : value;
  }

  /** Seconds since the last successful read; NaN before the first. */
  double ageSeconds() {
    return value < 0
        ? Double.NaN
        : (nanoTime.getAsLong() - readAtNanos) / (double) TimeUnit.SECONDS.toNanos(1);
  }

  void bindTo(MeterRegistry registry, Tags tags) {
    Gauge.builder("kpool.backlog", this, BacklogGauge::value)
        .description("Task records not yet acknowledged in the pool's share group, as last read")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder("kpool.backlog.age", this, BacklogGauge::ageSeconds)
        .baseUnit("seconds")
        .description("Time since kpool_backlog was last read from Kafka")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }
}
