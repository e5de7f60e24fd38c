package dev.kpool.supervisor.api;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.backlog.Backlog;
import dev.kpool.supervisor.backlog.BacklogReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

/**
 * A pool's backlog for autoscalers (KEDA's {@code metrics-api} scaler): any supervisor serving the
 * pool answers for the whole share group. Blocks on Kafka for a few seconds at most, on a worker
 * thread of the HTTP server.
 */
@Path("/pools/{pool}/backlog")
@Produces(MediaType.APPLICATION_JSON)
public class BacklogResource {
  private final Supervisor supervisor;
  private final BacklogReader reader;

  BacklogResource(Supervisor supervisor, BacklogReader reader) {
    this.supervisor = supervisor;
    this.reader = reader;
  }

  /** The pool's {@link Backlog}; 404 if this supervisor does not serve it, 503 if Kafka does not answer. */
  @GET
  public Backlog backlog(@PathParam("pool") String pool) {
    PoolRunner runner = ErrorResponses.served(supervisor, pool);
    try {
      return reader.read(runner);
    } catch (IllegalStateException e) {
      throw new WebApplicationException(ErrorResponses.error(503, e.getMessage()));
    }
  }
}
