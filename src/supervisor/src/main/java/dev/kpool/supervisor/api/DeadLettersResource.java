package dev.kpool.supervisor.api;

import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.fault.DeadLetters;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A pool's dead letters, for the CLI and the dashboard: list them, replay or discard one. Any supervisor
 * serving the pool answers for the pool's whole dead-letter topic. Calls block on Kafka for a few
 * seconds at most, on a worker thread of the HTTP server.
 */
@Path("/pools/{pool}/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
  /** Most dead letters one list call returns. */
  static final int MAX_LIMIT = 1_000;

  private final Supervisor supervisor;

  DeadLettersResource(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  /**
   * Up to {@code limit} dead letters in offset order: the newest, or from offset {@code from} on.
   * 404 if this supervisor does not serve the pool; 400 for a limit outside 1..1000; 503 if Kafka
   * did not answer, or the dead letters were not all read, in time.
   */
  @GET
  public DeadLetters.Page list(
      @PathParam("pool") String pool,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("from") Long from) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new WebApplicationException(
          ErrorResponses.error(400, "limit must be between 1 and " + MAX_LIMIT + ", got " + limit));
    }
    if (from != null && from < 0) {
      throw new WebApplicationException(
          ErrorResponses.error(400, "from must not be negative, got " + from));
    }
    DeadLetters deadLetters = ErrorResponses.served(supervisor, pool).deadLetters();
    return orUnavailable(
        pool,
        () -> deadLetters.list(limit, from == null ? OptionalLong.empty() : OptionalLong.of(from)));
  }

  /**
   * Writes the task of the dead letter at {@code offset} back to the pool's task topic (attempt 1,
   * header {@code kpool-replay-of}); 202 with the dead letter once written, 404 if no dead letter
   * is at that offset, 409 if it was discarded, 503 if Kafka did not take the write or did not
   * answer the reads before it in time.
   */
  @POST
  @Path("/{offset}/replay")
  public Response replay(@PathParam("pool") String pool, @PathParam("offset") long offset) {
    DeadLetters deadLetters = ErrorResponses.served(supervisor, pool).deadLetters();
    return act(pool, offset, deadLetters::replay, Response.Status.ACCEPTED);
  }

  /**
   * Discards the dead letter at {@code offset}: no supervisor lists or replays it from then on,
   * across restarts. 200 with the dead letter once its discard marker is written (also when it was
   * discarded before), 404 if no dead letter is at that offset, 503 if Kafka did not take the write
   * or did not answer the reads before it in time.
   */
  @POST
  @Path("/{offset}/discard")
  public Response discard(@PathParam("pool") String pool, @PathParam("offset") long offset) {
    DeadLetters deadLetters = ErrorResponses.served(supervisor, pool).deadLetters();
    return act(pool, offset, deadLetters::discard, Response.Status.OK);
  }

  /** Runs {@code action} on the dead letter at {@code offset}, answering {@code done} with it. */
  private static Response act(
      String pool,
      long offset,
      LongFunction<Optional<DeadLetters.Entry>> action,
      Response.Status done) {
    try {
      return orUnavailable(pool, () -> action.apply(offset))
          .map(entry -> Response.status(done).entity(entry).build())
          .orElseGet(
              () ->
                  ErrorResponses.error(
                      404, "no dead letter at offset " + offset + " of pool " + pool));
    } catch (DeadLetters.DiscardedException e) {
      return ErrorResponses.error(409, e.getMessage());
    } catch (IllegalStateException e) {
      return ErrorResponses.error(503, e.getMessage());
    }
  }

  /**
   * What {@code read} returns.
   *
   * @throws WebApplicationException (503, with a JSON body) if Kafka did not answer in time: a
   *     stalled read is a passing condition, not a bug, and a partial answer would mislead
   */
  static <T> T orUnavailable(String pool, Supplier<T> read) {
    try {
      return read.get();
    } catch (TimeoutException e) {
      throw new WebApplicationException(
          ErrorResponses.error(
              503,
              "Kafka did not answer in time reading the "
                  + "dead letters of pool "
                  + pool
                  + "; try again ("
                  + e.getMessage()
                  + ")"));
    }
  }
}
