package dev.kpool.supervisor.api;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The probe paths of earlier releases, {@code /health/live} and {@code /health/ready}: they answer
 * exactly what {@code /q/health/live} and {@code /q/health/ready} answer (same checks, same body,
 * 200 or 503), so probes configured before SmallRye Health keep working.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
  private final SmallRyeHealthReporter reporter;

  HealthResource(SmallRyeHealthReporter reporter) {
    this.reporter = reporter;
  }

  /** The liveness checks: 200 while the process answers. */
  @GET
  @Path("/live")
  public Response live() {
    return respond(reporter.getLiveness());
  }

  /** The readiness checks (Kafka reachable, each pool serving): 200 if all are up, else 503. */
  @GET
  @Path("/ready")
  public Response ready() {
    return respond(reporter.getReadiness());
  }

  private static Response respond(SmallRyeHealth health) {
    return Response.status(health.isDown() ? 503 : 200)
        .entity(health.getPayload().toString())
        .build();
  }
}
