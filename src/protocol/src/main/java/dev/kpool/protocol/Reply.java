package dev.kpool.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The value of a reply record: what became of one task record (one item or one chunk).
 *
 * <p>For a chunk, {@code results} holds the results of the items that finished, in item order; when
 * an item fails, the items before it keep their results and {@code error.index()} names it, so an
 * ordered reader can yield the good prefix and then raise, as {@code multiprocessing.Pool.imap}
 * does.
 *
 * @param id the task id the reply is for
 * @param status the outcome
 * @param results one JSON value per finished item (base64 text for byte results)
 * @param error why the task did not finish; {@code null} when {@code status} is OK
 * @param pid the OS process id of the worker that ran it, 0 if none did
 * @param attempt the attempt that produced this reply, from 1
 * @param elapsedMillis wall time the worker spent on it
 * @param task the task's registered name, so a reader can decode results of follow-up tasks it
 *     did not submit itself; may be {@code null} on replies from older supervisors
 * @param root for a follow-up task, the id of the task its tree started from; {@code null} for a
 *     task submitted by a client
 * @param children follow-up tasks this task submitted; all of them were durably enqueued before
 *     this reply was written, so a reader that counts replies knows when a whole tree is done
 */
public record Reply(
    String id,
    ReplyStatus status,
    List<JsonNode> results,
    RemoteError error,
    long pid,
    int attempt,
    long elapsedMillis,
    String task,
    String root,
    int children) {

  public Reply {
    results = results == null ? List.of() : List.copyOf(results);
  }

  /** A successful reply. */
  public static Reply ok(String id, List<JsonNode> results, long pid, int attempt, long elapsed) {
    return new Reply(id, ReplyStatus.OK, results, null, pid, attempt, elapsed, null, null, 0);
  }

  /** This reply, naming its task and tree. */
  public Reply inTree(String task, String root, int children) {
    return new Reply(id, status, results, error, pid, attempt, elapsedMillis, task, root, children);
  }

  /** A failed reply; {@code partial} are the results of the items before the failed one. */
  public static Reply failed(
      String id,
      ReplyStatus status,
      List<JsonNode> partial,
      RemoteError error,
      long pid,
      int attempt,
      long elapsed) {
    return new Reply(id, status, partial, error, pid, attempt, elapsed, null, null, 0);
  }
}
