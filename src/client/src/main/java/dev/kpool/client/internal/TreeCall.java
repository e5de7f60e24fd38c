package dev.kpool.client.internal;

import dev.kpool.client.AsyncTree;
import dev.kpool.client.TreeListener;
import dev.kpool.client.TreeSummary;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code applyTree}: counts the tree's replies by task id and completes when every id it has
 * seen (the root, and every child a reply names) has replied. A reply may arrive before its
 * parent's, so ids that replied are remembered, not only those still awaited.
 *
 * <p>Replies arrive on the reply listener thread; the listener runs on the callback executor, and
 * the tree completes only after every listener call has returned, so that a caller woken by the
 * tree sees all that its listener gathered.
 */
final class TreeCall implements AsyncTree, ChunkSink {
  private final FutureResult<TreeSummary> result;
  private final TreeListener listener;
  private final Callbacks callbacks;
  private final Set<String> replied = new HashSet<>();
  private final Set<String> awaited = new HashSet<>();
  private long succeeded;
  private long failed;
  private int listenerCalls;

  /** Holds the callbacks (so that {@code join} waits for the tree) until the tree ends. */
  TreeCall(String rootId, TreeListener listener, Callbacks callbacks) {
    this.result = new FutureResult<>(rootId, callbacks);
    this.listener = listener;
    this.callbacks = callbacks;
    awaited.add(rootId);
    callbacks.hold();
    result.whenDone(e -> callbacks.done());
  }

  /** The root's reply. */
  @Override
  public void chunk(int index, Reply reply) {
    result.workerPid(reply.pid());
    onReply(reply);
  }

  /** The root will get no reply; the tree fails. */
  @Override
  public void lost(int index, RuntimeException why) {
    result.fail(why);
  }

  /** Runs {@code action} on the completing thread once the tree ends, however it ends. */
  void whenDone(Runnable action) {
    result.whenDone(e -> action.run());
  }

  /** Ends the tree without waiting for the rest: the pool was closed or terminated. */
  void abandon(RuntimeException why) {
    result.fail(why);
  }

  /** Ids of the tree's tasks that have no outcome yet, e.g. to cancel them. */
  synchronized List<String> unfinished() {
    return List.copyOf(awaited);
  }

  /** A reply of any task of the tree; a second reply for an id is dropped. Must not block. */
  void onReply(Reply reply) {
    synchronized (this) {
      if (!replied.add(reply.id()) || result.ready()) {
        return;
      }
      awaited.remove(reply.id());
      if (reply.tree() != null) {
        for (String child : reply.tree().children()) {
          if (!replied.contains(child)) {
            awaited.add(child);
          }
        }
      }
      if (reply.status() == ReplyStatus.OK) {
        succeeded++;
      } else {
        failed++;
      }
      listenerCalls++;
    }
    ReplyNode node = new ReplyNode(reply);
    callbacks.run(
        () -> {
          try {
            listener.onReply(node);
          } finally {
            listenerReturned();
          }
        });
  }

  private void listenerReturned() {
    TreeSummary summary;
    synchronized (this) {
      listenerCalls--;
      if (listenerCalls > 0 || !awaited.isEmpty()) {
        return;
      }
      summary = new TreeSummary(replied.size(), succeeded, failed);
    }
    result.complete(summary, result.workerPid());
  }

  @Override
  public synchronized long tasksDone() {
    return replied.size();
  }

  @Override
  public synchronized long tasksKnown() {
    return replied.size() + awaited.size();
  }

  @Override
  public String taskId() {
    return result.taskId();
  }

  @Override
  public TreeSummary get(Duration timeout) {
    return result.get(timeout);
  }

  @Override
  public long workerPid() {
    return result.workerPid();
  }

  @Override
  public boolean ready() {
    return result.ready();
  }

  @Override
  public boolean successful() {
    return result.successful();
  }

  @Override
  public boolean await(Duration timeout) {
    return result.await(timeout);
  }

  @Override
  public CompletableFuture<TreeSummary> toCompletableFuture() {
    return result.toCompletableFuture();
  }

  @Override
  public String toString() {
    return "AsyncTree[" + taskId() + ", " + tasksDone() + "/" + tasksKnown() + "]";
  }
}
