package dev.kpool.supervisor.api;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.dispatch.Outcome;
import dev.kpool.supervisor.dispatch.PoolStats;
import dev.kpool.supervisor.dispatch.WorkerState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Read-only view of the pools this supervisor runs. */
@Path("/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolsResource {

  /** One pool's state. */
  public record PoolView(
      String name,
      String state,
      List<Long> pids,
      Map<WorkerState, Integer> workers,
      int queued,
      Map<Outcome.Kind, Long> tasks,
      long workerStarts,
      long workerCrashes,
      long workerRecycles,
      double avgTaskMillis,
      long maxTaskMillis) {}

  private final Supervisor supervisor;

  PoolsResource(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  @GET
  public List<PoolView> pools() {
    return supervisor.pools().stream().map(PoolsResource::view).toList();
  }

  private static PoolView view(PoolRunner pool) {
    PoolStats stats = pool.processes().stats();
    Map<Outcome.Kind, Long> tasks = new EnumMap<>(Outcome.Kind.class);
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      tasks.put(kind, stats.tasks(kind));
    }
    return new PoolView(
        pool.name(),
        pool.processes().state(),
        pool.processes().pids(),
        pool.processes().workersByState(),
        pool.processes().queued(),
        tasks,
        stats.workerStarts(),
        stats.workerCrashes(),
        stats.workerRecycles(),
        stats.avgTaskMillis(),
        stats.maxTaskMillis());
  }
}
