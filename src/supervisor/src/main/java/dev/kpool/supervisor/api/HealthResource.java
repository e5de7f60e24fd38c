package dev.kpool.supervisor.api;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liveness and readiness for orchestrators. (quarkus-smallrye-health 3.38.1 does not resolve from
 * Maven Central here, so the two probes are plain endpoints.)
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
  private final Supervisor supervisor;

  HealthResource(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** 200 while the process answers. */
  @GET
  @Path("/live")
  public Map<String, String> live() {
    return Map.of("status", "UP");
  }

  /** 200 when every pool has at least one live worker process, else 503; lists live workers per pool. */
  @GET
  @Path("/ready")
  public Response ready() {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean up = true;
    for (PoolRunner pool : supervisor.pools()) {
      int live = pool.processes().pids().size();
      body.put(pool.name(), live);
      up &= live > 0;
    }
    body.put("status", up ? "UP" : "DOWN");
    return Response.status(up ? 200 : 503).entity(body).build();
  }
}
