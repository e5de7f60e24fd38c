package dev.kpool.client.metrics;

import dev.kpool.client.Pool;
import dev.kpool.client.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one client pool handle, tagged {@code pool} and {@code client}: tasks
 * submitted and settled (counters), in flight now and at peak (gauges), replies read and ignored
 * (counters), and the round trip from submission to reply (a timer with percentiles). The
 * counters and gauges read {@link Pool#stats()} when the registry asks; the timer is fed on the
 * reply listener thread as replies arrive, through {@link Pool#onRoundTrip}. The binder holds the
 * pool strongly; bind it for the pool's lifetime, once per registry.
 *
 * <pre>{@code new PoolMeterBinder(pool).bindTo(registry);}</pre>
 */
public final class PoolMeterBinder implements MeterBinder {
  private final Pool pool;

  public PoolMeterBinder(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Tags tags = Tags.of("pool", pool.name(), "client", pool.clientId());
    counter(
        registry, "kpool.client.tasks.submitted", "Task records sent", tags, PoolStats::submitted);
    counter(
        registry,
        "kpool.client.tasks.settled",
        "Task records whose outcome arrived or was decided",
        tags,
        PoolStats::settled);
    counter(
        registry, "kpool.client.replies.read", "Reply records read", tags, PoolStats::repliesRead);
    counter(
        registry,
        "kpool.client.replies.ignored",
        "Replies nobody waited for: duplicates, late ones",
        tags,
        PoolStats::repliesIgnored);
    gauge(
        registry,
        "kpool.client.tasks.in.flight",
        "Task records outstanding now",
        tags,
        PoolStats::inFlight);
    gauge(
        registry,
        "kpool.client.tasks.in.flight.peak",
        "Most task records outstanding at once",
        tags,
        PoolStats::peakInFlight);
    Timer roundTrip =
        Timer.builder("kpool.client.round.trip")
            .description("Time from a task record's submission to its reply")
            .tags(tags)
            .publishPercentiles(0.5, 0.95, 0.99)
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    pool.onRoundTrip(nanos -> roundTrip.record(nanos, TimeUnit.NANOSECONDS));
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      ToDoubleFunction<PoolStats> value) {
    FunctionCounter.builder(name, pool, p -> value.applyAsDouble(p.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      ToDoubleFunction<PoolStats> value) {
    Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats()))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }
}
