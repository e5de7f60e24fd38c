package dev.kpool.worker;

import java.time.Instant;
import java.util.Optional;

/**
 * What a running task can learn about itself and do beyond returning a result.
 *
 * <p>A context is valid while its task runs. Its methods may be called from any thread during that
 * time (for example from threads the task starts and joins); {@link #submit} after the task has
 * returned throws {@link IllegalStateException}.
 */
public interface TaskContext {
  /** The id of the running task (for a chunk, the id of the whole chunk). */
  String taskId();

  /** 1 for the first run of this task, 2 for its first retry, and so on. */
  int attempt();

  /**
   * The moment past which the supervisor kills this process, if the task has a deadline. The SDK
   * does not interrupt the task itself; a task that can stop early should check this.
   */
  Optional<Instant> deadline();

  /** The pool this worker serves. */
  String pool();

  /** The supervisor's name for this worker process, as it appears in its log lines. */
  String workerName();

  /**
   * Enqueues a follow-up task in this worker's pool, routed by its own id. The frame is written
   * before this method returns, and before the running task's result.
   *
   * @param args converted to JSON with the protocol mapper
   * @throws IllegalArgumentException if {@code args} cannot be written as JSON, or the frame would
   *     be over the maximum frame size
   * @throws IllegalStateException if the running task has already returned
   * @throws java.io.UncheckedIOException if the frame stream to the supervisor failed
   */
  default void submit(String task, Object args) {
    submit(null, task, args, null);
  }

  /**
   * Enqueues a follow-up task.
   *
   * @param pool the pool to run it in; {@code null} means this worker's pool
   * @param task the registered task name
   * @param args converted to JSON with the protocol mapper
   * @param key the routing key (tasks with one key go to one partition); {@code null} means the new
   *     task's id
   * @throws IllegalArgumentException if {@code args} cannot be written as JSON, or the frame would
   *     be over the maximum frame size
   * @throws IllegalStateException if the running task has already returned
   * @throws java.io.UncheckedIOException if the frame stream to the supervisor failed
   */
  default void submit(String pool, String task, Object args, String key) {
    submit(new FollowUp(pool, task, args, key, null));
  }

  /**
   * Enqueues a follow-up task. The frame is written before this method returns, and before the
   * running task's result, so the follow-up is durably enqueued before this task's reply.
   *
   * @throws IllegalArgumentException if its args cannot be written as JSON, or the frame would be
   *     over the maximum frame size
   * @throws IllegalStateException if the running task has already returned
   * @throws java.io.UncheckedIOException if the frame stream to the supervisor failed
   */
  void submit(FollowUp followUp);
}
