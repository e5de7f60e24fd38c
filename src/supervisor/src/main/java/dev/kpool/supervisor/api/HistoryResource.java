package dev.kpool.supervisor.api;

import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.history.PoolHistory;
import dev.kpool.supervisor.history.SupervisorHistory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A pool's history as read back from Kafka, for the dashboard; answers from memory, never blocks. */
@Path("/pools/{pool}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {
  private final Supervisor supervisor;
  private final SupervisorHistory history;

  HistoryResource(Supervisor supervisor, SupervisorHistory history) {
    this.supervisor = supervisor;
    this.history = history;
  }

  /**
   * Tasks by outcome over every supervisor run that served the pool, and tasks per step over the
   * last two minutes; 404 if this supervisor does not serve the pool.
   */
  @GET
  public PoolHistory history(@PathParam("pool") String pool) {
    return history.history(ErrorResponses.served(supervisor, pool).name());
  }
}
