package dev.kpool.client;

/**
 * The handle of a tree of tasks submitted with {@link Pool#applyTree}: the root task, the
 * follow-up tasks it submitted, theirs, and so on. It completes, with a {@link TreeSummary}, when
 * every task of the tree has an outcome; a task that fails does not fail the tree (a crawl goes on
 * past a page that errors). It fails only when outcomes can no longer arrive: the pool was closed
 * ({@link PoolClosedException}), terminated ({@link java.util.concurrent.CancellationException}),
 * or the root could not be sent.
 *
 * <p>The tree is complete when it is: a task's follow-ups are durably enqueued before its reply is
 * written, and each reply names its children, so no task can be missing once every known one has
 * replied. {@link #taskId()} is the root's id; {@link #workerPid()} the root's worker. Trees are
 * not journaled: a durable client that restarts does not re-attach to them.
 */
public interface AsyncTree extends AsyncResult<TreeSummary> {
  /** Tasks of the tree with an outcome so far. Never blocks. */
  long tasksDone();

  /** Tasks of the tree known so far: those with an outcome and those named as children. */
  long tasksKnown();
}
