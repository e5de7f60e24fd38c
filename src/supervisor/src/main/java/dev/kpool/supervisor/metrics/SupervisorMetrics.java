package dev.kpool.supervisor.metrics;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.backlog.BacklogReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Binds {@link PoolMeters} and a {@link BacklogGauge} for every pool once the supervisor has built
 * them; served at {@code /q/metrics}. One background thread reads every pool's backlog from Kafka
 * each {@link #BACKLOG_REFRESH}, one pool after the other, so a slow broker delays the next read
 * and never a scrape.
 */
@ApplicationScoped
public class SupervisorMetrics {
  /** How often the backlog gauges are read from Kafka. */
  static final Duration BACKLOG_REFRESH = Duration.ofSeconds(10);

  private final Supervisor supervisor;
  private final MeterRegistry registry;
  private final BacklogReader backlog;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kpool-backlog-metrics");
            thread.setDaemon(true);
            return thread;
          });

  SupervisorMetrics(Supervisor supervisor, MeterRegistry registry, BacklogReader backlog) {
    this.supervisor = supervisor;
    this.registry = registry;
    this.backlog = backlog;
  }

  // After Supervisor.onStart (default priority), which builds the pools.
  void bind(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    for (PoolRunner pool : supervisor.pools()) {
      new PoolMeters(pool).bindTo(registry);
      BacklogGauge gauge =
          new BacklogGauge(
              pool.name(), () -> backlog.read(pool).unacknowledged(), System::nanoTime);
      gauge.bindTo(registry, Tags.of("pool", pool.name()));
      refresher.scheduleWithFixedDelay(
          gauge::refresh, 0, BACKLOG_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  void stop() {
    refresher.shutdownNow();
  }
}
