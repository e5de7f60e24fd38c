package dev.kpool.supervisor.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.RemoteError;
import java.util.List;

/**
 * What became of a {@link TaskWork} on a worker.
 *
 * @param results results of the items that finished, in order
 * @param error why it did not finish; {@code null} for {@link Kind#OK}
 * @param pid the worker that ran it, 0 if none did
 */
public record Outcome(
    Kind kind, List<JsonNode> results, RemoteError error, long pid, long elapsedMillis) {

  /** How the work ended. */
  public enum Kind {
    /** Every item returned. */
    OK,
    /** The task raised, or no worker of the pool knows its name. */
    FAILED,
    /** It ran past its deadline; its worker was killed. */
    TIMED_OUT,
    /** Its worker died or hung while running it. */
    CRASHED,
    /** A client cancelled it: it never ran, or its worker was killed. */
    CANCELLED,
    /** It never ran because the pool is shutting down; the record should go back to the queue. */
    NOT_RUN
  }

  public Outcome {
    results = results == null ? List.of() : List.copyOf(results);
  }

  static Outcome notRun() {
    return new Outcome(Kind.NOT_RUN, List.of(), null, 0, 0);
  }

  static Outcome cancelled(long pid, long elapsedMillis) {
    return new Outcome(
        Kind.CANCELLED,
        List.of(),
        RemoteError.of("kpool.Cancelled", "task was cancelled"),
        pid,
        elapsedMillis);
  }
}
