package dev.kpool.supervisor.api;

import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.process.ProcessMemory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One pool's worker processes on this supervisor, and draining the pool here. */
@Path("/pools/{pool}")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {

  /**
   * One live worker process.
   *
   * @param rssBytes resident memory, -1 where the OS does not tell
   * @param ageSeconds seconds since the process started, -1 if unknown
   */
  public record WorkerView(long pid, long rssBytes, long ageSeconds) {}

  private final Supervisor supervisor;

  WorkersResource(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** The pool's live worker processes; 404 if this supervisor does not serve the pool. */
  @GET
  @Path("/workers")
  public List<WorkerView> workers(@PathParam("pool") String pool) {
    return ErrorResponses.served(supervisor, pool).processes().pids().stream()
        .map(WorkersResource::view)
        .toList();
  }

  /**
   * Drains the pool on this supervisor: it stops taking tasks, lets running ones finish within the
   * pool's drain timeout, releases the rest to the other supervisors of the pool, and stops its
   * workers. Returns 202 at once; the drain goes on in the background. Other supervisors of the
   * pool are not affected.
   */
  @POST
  @Path("/drain")
  public Response drain(@PathParam("pool") String pool) {
    supervisor.drain(ErrorResponses.served(supervisor, pool).name());
    return Response.accepted(Map.of("pool", pool, "state", "STOPPING")).build();
  }

  private static WorkerView view(long pid) {
    long age =
        ProcessHandle.of(pid)
            .flatMap(p -> p.info().startInstant())
            .map(start -> Duration.between(start, Instant.now()).toSeconds())
            .orElse(-1L);
    return new WorkerView(pid, ProcessMemory.residentBytes(pid).orElse(-1), age);
  }
}
