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
 * @param tree where the task stands in a tree of follow-up tasks; {@code null} for a task that
 *     is neither a follow-up nor submitted any
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
    Tree tree) {

  /**
   * The links of one task in a tree of follow-up tasks.
   *
   * @param root the id of the task the tree started from (the client's submission); for that task
   *     itself, its own id
   * @param parent the id of the task that submitted this one; {@code null} for the root
   * @param children ids of the follow-up tasks this task submitted. Every one was durably enqueued
   *     before this reply was written, so a reader that has a reply for every id it has seen in a
   *     tree knows the whole tree is done
   */
  public record Tree(String root, String parent, List<String> children) {
    public Tree {
      children = children == null ? List.of() : List.copyOf(children);
    }
  }

  public Reply {
    results = results == null ? List.of() : List.copyOf(results);
  }

  /** A successful reply. */
  public static Reply ok(String id, List<JsonNode> results, long pid, int attempt, long elapsed) {
    return new Reply(id, ReplyStatus.OK, results, null, pid, attempt, elapsed, null, null);
  }

  /** This reply, naming its task and, if it has one, its place in a tree ({@code null} if none). */
  public Reply inTree(String task, Tree tree) {
    return new Reply(id, status, results, error, pid, attempt, elapsedMillis, task, tree);
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
    return new Reply(id, status, partial, error, pid, attempt, elapsed, null, null);
  }
}
