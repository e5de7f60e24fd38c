package dev.kpool.protocol.frame;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A frame the supervisor writes to a worker's stdin. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ToWorker.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = ToWorker.Init.class, name = "init"),
  @JsonSubTypes.Type(value = ToWorker.Task.class, name = "task"),
  @JsonSubTypes.Type(value = ToWorker.Shutdown.class, name = "shutdown")
})
public sealed interface ToWorker {

  /**
   * First frame of a session. The worker answers with {@link FromWorker.Hello} or exits.
   *
   * @param version the protocol version the supervisor speaks
   * @param pool the pool this worker serves
   * @param worker the supervisor's name for this worker, for log lines
   * @param maxFrameBytes the largest frame either side may send
   * @param heartbeatMillis while a task runs, the worker sends a heartbeat at least this often
   */
  record Hello(int version, String pool, String worker, int maxFrameBytes, long heartbeatMillis)
      implements ToWorker {}

  /**
   * Runs the pool's initializer once, before any task. Answered by a {@link FromWorker.Result} with
   * the same id: no results on success, an error if the initializer raised.
   */
  record Init(String id, String task, JsonNode args) implements ToWorker {}

  /**
   * Runs a registered task on one item, or on each item of a chunk in order. Answered by exactly one
   * {@link FromWorker.Result} with the same id.
   *
   * @param id task id
   * @param task registered task name
   * @param contentType {@code application/json}, or {@code application/octet-stream} in which case
   *     each item is base64 text
   * @param items the arguments, one per item
   * @param attempt 1 for the first run
   * @param deadline epoch milliseconds past which the supervisor kills the worker, 0 for none
   */
  record Task(
      String id, String task, String contentType, List<JsonNode> items, int attempt, long deadline)
      implements ToWorker {}

  /** Finish the current task, then exit 0. End of stdin means exit now. */
  record Shutdown() implements ToWorker {}
}
