package dev.kpool.client.internal;

import dev.kpool.client.DetachedTask;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A call submitted by an earlier run of this client id: holds the replies that arrived before
 * anyone re-attached, then forwards them, and later ones, to the attached call. Each chunk's first
 * reply counts; duplicates are dropped here.
 */
final class DetachedUnit {
  private final JournalEntry entry;
  private final Map<Integer, Reply> held = new TreeMap<>();
  private final Set<Integer> seen = new HashSet<>();
  private boolean failed;
  private ChunkSink sink;

  DetachedUnit(JournalEntry entry) {
    this.entry = entry;
  }

  JournalEntry entry() {
    return entry;
  }

  /** A reply for chunk {@code index} was read. Called on the reply listener thread. */
  synchronized void offer(int index, Reply reply) {
    if (index < 0 || index >= entry.chunks() || !seen.add(index)) {
      return;
    }
    failed |= reply.status() != ReplyStatus.OK;
    if (sink != null) {
      sink.chunk(index, reply);
    } else {
      held.put(index, reply);
    }
  }

  /**
   * Hands every held reply, and every later one, to {@code target}.
   *
   * @throws IllegalStateException if someone attached already
   */
  synchronized void attach(ChunkSink target) {
    if (sink != null) {
      throw new IllegalStateException("task " + entry.id() + " is already attached");
    }
    sink = target;
    held.forEach(target::chunk);
    held.clear();
  }

  synchronized boolean attached() {
    return sink != null;
  }

  /** The unit as {@link dev.kpool.client.Pool#detachedTasks()} lists it. */
  synchronized DetachedTask describe() {
    boolean ready = failed || seen.size() == entry.chunks();
    return new DetachedTask(
        entry.id(),
        entry.task(),
        entry.kind(),
        entry.items(),
        Instant.ofEpochMilli(entry.submittedAt()),
        ready);
  }
}
