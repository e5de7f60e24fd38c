package dev.kpool.worker;

import java.util.Objects;

/**
 * A follow-up task that a running task enqueues with {@link TaskContext#submit(FollowUp)}: the
 * crawler's "and now fetch these links". Immutable; the withers return a copy.
 *
 * @param pool the pool to run it in; {@code null} means the submitting worker's pool
 * @param task the registered task name
 * @param args converted to JSON with the protocol mapper when submitted
 * @param key the routing key: tasks with one key go to one partition, and per-key limits count by
 *     it (a crawl uses the URL's host); {@code null} means the new task's id
 * @param id the follow-up's id within its tree: a second submission of one id in a tree is the same
 *     task and is not enqueued again (a crawl uses the URL, so each page is fetched once); {@code
 *     null} means a fresh id
 */
public record FollowUp(String pool, String task, Object args, String key, String id) {

  public FollowUp {
    Objects.requireNonNull(task, "task");
    if (task.isBlank()) {
      throw new IllegalArgumentException("a follow-up needs a task name");
    }
  }

  /** A follow-up of {@code task} with {@code args}, in this worker's pool, with a fresh id. */
  public static FollowUp of(String task, Object args) {
    return new FollowUp(null, task, args, null, null);
  }

  /** This follow-up, run in pool {@code pool} instead. */
  public FollowUp toPool(String pool) {
    return new FollowUp(pool, task, args, key, id);
  }

  /** This follow-up, routed by {@code key}. */
  public FollowUp key(String key) {
    return new FollowUp(pool, task, args, key, id);
  }

  /** This follow-up, with id {@code id} within its tree. */
  public FollowUp id(String id) {
    return new FollowUp(pool, task, args, key, id);
  }
}
