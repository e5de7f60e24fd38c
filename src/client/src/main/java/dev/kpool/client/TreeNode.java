package dev.kpool.client;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one task in a tree of follow-up tasks: the task a client submitted with {@link
 * Pool#applyTree}, or one that a task of the tree submitted while it ran. Immutable.
 */
public interface TreeNode {
  /** The task's id; a follow-up that named its own id has {@code <root id>/<its id>}. */
  String id();

  /** The id of the task that submitted this one; {@code null} for the root. */
  String parentId();

  /** The task's registered name, e.g. {@code crawl}; tells which {@link Task} to read it with. */
  String task();

  /** Whether the task returned a result. */
  boolean succeeded();

  /**
   * The task's result, read as {@code as} declares.
   *
   * @throws TaskFailedException if the task raised remotely (remote type, message and stack inside)
   * @throws TaskTimeoutException if it ran past its deadline and its worker was killed
   * @throws java.util.concurrent.CancellationException if it was cancelled
   * @throws KpoolException if the result does not fit {@code as}
   */
  <R> R result(Task<?, R> as);

  /** Why the task did not succeed, as {@link #result} would throw it; empty if it succeeded. */
  Optional<RuntimeException> failure();

  /** Ids of the follow-up tasks this task submitted; each is also a node of the tree. */
  List<String> childIds();

  /** The attempt that produced this outcome, from 1. */
  int attempt();

  /** The OS process id of the worker that ran it, 0 if none did. */
  long workerPid();
}
