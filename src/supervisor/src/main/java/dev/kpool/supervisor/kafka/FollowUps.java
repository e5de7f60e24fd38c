package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.frame.FromWorker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * Follow-up tasks that running tasks submit (crawler fan-out). A child inherits its parent's reply
 * topic, client and tree root, so the submitter sees every result of the tree; and every child is
 * durably enqueued before its parent's reply is written, so the reply's child count lets a reader
 * know when a whole tree is done. Thread-safe: submissions arrive on worker reader threads.
 *
 * <p>A follow-up that names its own id (a crawl names the URL) gets task id {@code <root>/<id>},
 * and a second submission of that id in the same tree is dropped, so a page linked from many pages
 * is crawled once. The memory of ids is this supervisor's and bounded ({@value #REMEMBERED_IDS}
 * ids): two supervisors may each enqueue an id once, and the client still sees one reply per id.
 */
public final class FollowUps {
  private static final Logger LOG = Logger.getLogger(FollowUps.class);

  /** What a child inherits from the task that submits it; {@code traceparent} may be null. */
  public record Parent(
      String pool, String id, String root, String replyTo, String client, String traceparent) {}

  static final int REMEMBERED_IDS = 200_000;

  private final RecordWriter writer;
  private final Map<String, Boolean> enqueued =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_IDS;
        }
      };
  private final ConcurrentMap<String, Parent> running = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<CompletableFuture<String>>> children =
      new ConcurrentHashMap<>();

  public FollowUps(RecordWriter writer) {
    this.writer = writer;
  }

  /** A task is about to run: its submissions from now on are its children. */
  public void started(Parent parent) {
    running.put(parent.id(), parent);
  }

  /**
   * Enqueues a child of a running task. Submissions naming no running task are refused (logged);
   * one repeating an id already enqueued in its tree is recorded as a child but not enqueued again.
   */
  public void submit(FromWorker.Submit submit) {
    Parent parent = submit.parent() == null ? null : running.get(submit.parent());
    if (parent == null) {
      LOG.warnf(
          "dropping follow-up task %s: its parent %s is not running here",
          submit.task(), submit.parent());
      return;
    }
    String id =
        submit.id() == null ? UUID.randomUUID().toString() : parent.root() + "/" + submit.id();
    CompletableFuture<String> written;
    if (submit.id() == null || firstTime(id)) {
      written = writer.followUp(parent, submit, id).thenApply(done -> id);
    } else {
      // Still a child of this parent (the reader must wait for its one reply), but not enqueued
      // again.
      LOG.debugf(
          "follow-up %s of %s already enqueued in its tree; not enqueued again", id, parent.id());
      written = CompletableFuture.completedFuture(id);
    }
    List<CompletableFuture<String>> mine =
        children.computeIfAbsent(parent.id(), p -> new ArrayList<>());
    synchronized (mine) {
      mine.add(written);
    }
  }

  private boolean firstTime(String id) {
    synchronized (enqueued) {
      return enqueued.put(id, Boolean.TRUE) == null;
    }
  }

  /**
   * The task ended: completes with the ids of the children it submitted once every one of them is
   * written, or exceptionally if one could not be.
   */
  public CompletableFuture<List<String>> finished(String taskId) {
    running.remove(taskId);
    List<CompletableFuture<String>> mine = children.remove(taskId);
    if (mine == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<CompletableFuture<String>> copy;
    synchronized (mine) {
      copy = List.copyOf(mine);
    }
    return CompletableFuture.allOf(copy.toArray(CompletableFuture[]::new))
        .thenApply(done -> copy.stream().map(CompletableFuture::join).toList());
  }
}
