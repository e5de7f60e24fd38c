package dev.kpool.supervisor.metrics;

import dev.kpool.supervisor.Supervisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Binds {@link PoolMeters} for every pool once the supervisor has built them; served at {@code /q/metrics}. */
@ApplicationScoped
public class SupervisorMetrics {
  private final Supervisor supervisor;
  private final MeterRegistry registry;

  SupervisorMetrics(Supervisor supervisor, MeterRegistry registry) {
    this.supervisor = supervisor;
    this.registry = registry;
  }

  // After Supervisor.onStart (default priority), which builds the pools.
  void bind(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    supervisor.pools().forEach(pool -> new PoolMeters(pool).bindTo(registry));
  }
}
