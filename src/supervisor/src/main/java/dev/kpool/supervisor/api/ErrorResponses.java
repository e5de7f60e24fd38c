package dev.kpool.supervisor.api;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The HTTP API's error bodies, {@code {"error": "..."}}, and the pool lookup every resource shares. */
final class ErrorResponses {

  private ErrorResponses() {}

  /** A JSON error response with {@code status}. */
  static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", message))
        .build();
  }

  /**
   * The pool {@code name} as this supervisor serves it.
   *
   * @throws NotFoundException (404, with a JSON body) if this supervisor does not serve it
   */
  static PoolRunner served(Supervisor supervisor, String name) {
    return supervisor.pools().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new NotFoundException(error(404, "this supervisor does not serve pool " + name)));
  }
}
