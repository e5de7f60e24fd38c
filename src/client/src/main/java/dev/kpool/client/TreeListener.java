package dev.kpool.client;

/**
 * Sees each task of a tree as its reply arrives; see {@link Pool#applyTree}.
 *
 * <p>Runs on the pool's callback executor, never on the reply listener, once per task id even when
 * a reply is delivered twice. With the default single-thread executor, calls never overlap and
 * come in reply order; with an executor of several threads they may overlap. Every call for a tree
 * has returned before its {@link AsyncTree} completes. A listener that throws is logged and called
 * again for the next task.
 */
@FunctionalInterface
public interface TreeListener {
  /** Task {@code node} of the tree has an outcome. */
  void onReply(TreeNode node);
}
