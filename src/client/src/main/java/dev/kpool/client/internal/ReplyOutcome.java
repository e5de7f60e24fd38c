package dev.kpool.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kpool.client.KpoolException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Reads a {@link Reply}: its results into the declared type, its failure into what callers see. */
final class ReplyOutcome {
  private static final ObjectMapper MAPPER = ProtocolJson.mapper();

  private ReplyOutcome() {}

  /**
   * The exception a failed reply stands for.
   *
   * @param firstItem input position of the record's first item, or -1 for a single task
   */
  static RuntimeException failure(Reply reply, long firstItem) {
    RemoteError error =
        reply.error() != null ? reply.error() : RemoteError.of("unknown", "no error detail");
    long item = firstItem < 0 ? -1 : firstItem + error.index();
    String where = item < 0 ? "task " + reply.id() : "item " + item + " (task " + reply.id() + ")";
    return switch (reply.status()) {
      case OK -> new KpoolException("not a failure: " + reply.id());
      case ERROR -> new TaskFailedException(reply.id(), error, item);
      case TIMEOUT ->
          new TaskTimeoutException(
              reply.id(), where + " ran past its deadline and was killed: " + error.message());
      case CANCELLED -> new CancellationException(where + " was cancelled");
    };
  }

  /**
   * The one result of a successful single-task reply.
   *
   * @throws KpoolException if it carries other than one result, or one that does not fit
   */
  static <R> R single(Task<?, R> task, Reply reply) {
    if (reply.results().size() != 1) {
      throw new KpoolException(
          "reply for task " + reply.id() + " has " + reply.results().size() + " results, not 1");
    }
    return task.decode(reply.results().get(0));
  }

  /**
   * The results a reply carries (for a failed chunk, those of the items before the failure).
   *
   * @throws KpoolException if a result does not fit the declared type
   */
  static <R> List<R> results(Task<?, R> task, Reply reply) {
    if (task.contentType() == ContentType.JSON && reply.results().size() > 1) {
      try {
        // One reader over the whole array: per item, a deserialization context and a type lookup
        // cost more than the conversion itself.
        ObjectReader reader =
            MAPPER.readerFor(
                MAPPER.getTypeFactory().constructCollectionType(List.class, task.resultType()));
        return reader.readValue(new ArrayNode(MAPPER.getNodeFactory(), reply.results()));
      } catch (IOException | IllegalArgumentException e) {
        // Item by item below, so the error names what did not fit as a single decode would.
      }
    }
    List<R> decoded = new ArrayList<>(reply.results().size());
    for (JsonNode node : reply.results()) {
      decoded.add(task.decode(node));
    }
    return decoded;
  }
}
