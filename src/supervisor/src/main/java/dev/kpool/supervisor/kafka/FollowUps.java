package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.frame.FromWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * Follow-up tasks that running tasks submit (crawler fan-out). A child inherits its parent's reply
 * topic, client and tree root, so the submitter sees every result of the tree; and every child is
 * durably enqueued before its parent's reply is written, so the reply's child count lets a reader
 * know when a whole tree is done. Thread-safe: submissions arrive on worker reader threads.
 */
public final class FollowUps {
  private static final Logger LOG = Logger.getLogger(FollowUps.class);

  /** What a child inherits from the task that submits it. */
  public record Parent(String pool, String id, String root, String replyTo, String client) {}

  private final ReplyWriter writer;
  private final ConcurrentMap<String, Parent> running = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<CompletableFuture<Void>>> children = new ConcurrentHashMap<>();

  public FollowUps(ReplyWriter writer) {
    this.writer = writer;
  }

  /** A task is about to run: its submissions from now on are its children. */
  void started(Parent parent) {
    running.put(parent.id(), parent);
  }

  /** Enqueues a child of a running task. Submissions naming no running task are refused (logged). */
  public void submit(FromWorker.Submit submit) {
    Parent parent = submit.parent() == null ? null : running.get(submit.parent());
    if (parent == null) {
      LOG.warnf("dropping follow-up task %s: its parent %s is not running here", submit.task(), submit.parent());
      return;
    }
    CompletableFuture<Void> written = writer.followUp(parent, submit);
    children.computeIfAbsent(parent.id(), id -> new ArrayList<>()).add(written);
  }

  /**
   * The task ended: completes with the number of children it submitted once every one of them is
   * written, or exceptionally if one could not be.
   */
  CompletableFuture<Integer> finished(String taskId) {
    running.remove(taskId);
    List<CompletableFuture<Void>> mine = children.remove(taskId);
    if (mine == null) {
      return CompletableFuture.completedFuture(0);
    }
    List<CompletableFuture<Void>> copy;
    synchronized (mine) {
      copy = List.copyOf(mine);
    }
    return CompletableFuture.allOf(copy.toArray(CompletableFuture[]::new)).thenApply(done -> copy.size());
  }
}
