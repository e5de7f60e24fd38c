package dev.kpool.supervisor.health;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * One readiness check per pool, named {@code pool <name>}: up while the pool accepts tasks and has
 * at least one live worker process. Registered once the supervisor has started its pools.
 */
@ApplicationScoped
public class PoolReadiness {
  private final Supervisor supervisor;
  private final HealthRegistry readiness;

  PoolReadiness(Supervisor supervisor, @Readiness HealthRegistry readiness) {
    this.supervisor = supervisor;
    this.readiness = readiness;
  }

  // After Supervisor.onStart (default priority), which builds the pools.
  void register(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    supervisor.pools().forEach(pool -> readiness.register("pool " + pool.name(), check(pool)));
  }

  /** The check of one pool; cheap, never blocks. */
  static HealthCheck check(PoolRunner pool) {
    return () -> {
      int live = pool.processes().pids().size();
      String state = pool.processes().state();
      return HealthCheckResponse.named("pool " + pool.name())
          .status(live > 0 && !"STOPPING".equals(state))
          .withData("state", state)
          .withData("liveWorkers", live)
          .build();
    };
  }
}
