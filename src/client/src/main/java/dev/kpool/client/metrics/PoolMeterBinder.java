package dev.kpool.client.metrics;

import dev.kpool.client.Pool;
import dev.kpool.client.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one client pool handle, tagged {@code pool} and {@code client}: tasks
 * submitted and settled (counters), in flight now and at peak (gauges), replies read and ignored
 * (counters). Each meter reads {@link Pool#stats()} when the registry asks, so binding costs the
 * submit path nothing. The binder holds the pool strongly; bind it for the pool's lifetime.
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
    counter(registry, "kpool.client.tasks.submitted", "Task records sent", tags, PoolStats::submitted);
    counter(registry, "kpool.client.tasks.settled", "Task records whose outcome arrived or was decided",
        tags, PoolStats::settled);
    counter(registry, "kpool.client.replies.read", "Reply records read", tags, PoolStats::repliesRead);
    counter(registry, "kpool.client.replies.ignored", "Replies nobody waited for: duplicates, late ones",
        tags, PoolStats::repliesIgnored);
    gauge(registry, "kpool.client.tasks.in.flight", "Task records outstanding now", tags, PoolStats::inFlight);
    gauge(registry, "kpool.client.tasks.in.flight.peak", "Most task records outstanding at once", tags,
        PoolStats::peakInFlight);
  }

  private void counter(MeterRegistry registry, String name, String description, Tags tags,
      ToDoubleFunction<PoolStats> value) {
    FunctionCounter.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description)
        .tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, Tags tags,
      ToDoubleFunction<PoolStats> value) {
    Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(tags)
        .strongReference(true).register(registry);
  }
}
