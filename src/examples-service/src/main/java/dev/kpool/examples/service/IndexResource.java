package dev.kpool.examples.service;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /index}: what the index holds, for a look from outside. */
@Path("/index")
public class IndexResource {
  private final IndexService index;

  IndexResource(IndexService index) {
    this.index = index;
  }

  /** Counts, and the entries by task id. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> index() {
    return Map.of(
        "documents",
        index.entries().size(),
        "failures",
        index.failures(),
        "repliesRead",
        index.repliesRead(),
        "entries",
        index.entries());
  }
}
