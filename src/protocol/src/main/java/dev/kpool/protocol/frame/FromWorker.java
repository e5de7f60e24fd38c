package dev.kpool.protocol.frame;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.RemoteError;
import java.util.List;

/** A frame a worker writes to its stdout. Nothing else may be written there. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FromWorker.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = FromWorker.Result.class, name = "result"),
  @JsonSubTypes.Type(value = FromWorker.Heartbeat.class, name = "heartbeat"),
  @JsonSubTypes.Type(value = FromWorker.Submit.class, name = "submit")
})
public sealed interface FromWorker {

  /**
   * The answer to {@link ToWorker.Hello}.
   *
   * @param version the protocol version the worker speaks; must equal the supervisor's
   * @param pid the worker's OS process id
   * @param language e.g. {@code java} or {@code python}
   * @param tasks the task names the worker registered; it runs no other
   */
  record Hello(int version, long pid, String language, List<String> tasks) implements FromWorker {}

  /**
   * The outcome of an {@link ToWorker.Init} or {@link ToWorker.Task} with the same id.
   *
   * @param results one value per finished item, in item order
   * @param error {@code null} on success; otherwise why item {@code error.index()} failed (the
   *     items after it were not run)
   */
  record Result(String id, List<JsonNode> results, RemoteError error) implements FromWorker {
    public Result {
      results = results == null ? List.of() : results;
    }
  }

  /** The worker is alive and working on task {@code id}; sent at least every heartbeat interval. */
  record Heartbeat(String id) implements FromWorker {}

  /**
   * A follow-up task enqueued by the running task {@code parent}.
   *
   * @param pool the pool to run it in; {@code null} means the parent's pool
   * @param key the routing key; {@code null} means the new task's id
   * @param id the follow-up's id within its tree, chosen by the task (a crawl uses the URL); a
   *     second submission of one id in one tree is the same task and is dropped. {@code null}
   *     means a fresh id
   */
  record Submit(String parent, String pool, String task, JsonNode args, String key, String id)
      implements FromWorker {}
}
