package dev.kpool.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kpool.client.DetachedTask;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable client's bookkeeping over its reply topic, which doubles as its journal: besides the
 * supervisors' replies it holds a {@code submitted} record per apply or map (written with the task
 * records) and now and then a {@code settled} record.
 *
 * <p>The committed offset of the reply consumer is the <em>floor</em>: every call whose {@code
 * submitted} record lies below it has been settled (its outcome reached a handle, or was cancelled
 * or discarded). A restart reads from the floor, so it sees every unsettled call and every reply
 * after the floor, including replies that arrived while no client ran. Calls settled above the
 * floor (because an older call is still running) are named in {@code settled} records, so that a
 * restart does not offer them again.
 *
 * <p>Threads: {@link #submitted}, {@link #settled}, {@link #markerLost}, {@link #detached} and
 * {@link #unit} may be called from any thread; the rest only from the reply listener thread.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  /** Header that marks a journal record on the reply topic; its value is the record's kind. */
  static final String HEADER = "kpool-journal";

  /** Kind of a record whose value is a {@link JournalEntry}. */
  static final String SUBMITTED = "submitted";

  /** Kind of a record whose value is a JSON array of settled call ids. */
  static final String SETTLED = "settled";

  /** Most ids in one {@code settled} record. */
  static final int CHECKPOINT_BATCH = 1_000;

  private static final class Unit {
    final DetachedUnit detached;
    volatile long markerOffset = -1;
    volatile boolean settled;

    Unit(DetachedUnit detached, long markerOffset) {
      this.detached = detached;
      this.markerOffset = markerOffset;
    }
  }

  private final Consumer<List<String>> checkpointWriter;
  private final Map<String, Unit> units = new ConcurrentHashMap<>();
  private final Queue<String> settledQueue = new ConcurrentLinkedQueue<>();
  private final Queue<String> lostMarkers = new ConcurrentLinkedQueue<>();
  private volatile boolean caughtUp;
  private volatile boolean frozen;

  // Listener thread only. Insertion order is offset order, so the first entry is the lowest.
  private final LinkedHashMap<String, Long> unsettledMarkers = new LinkedHashMap<>();
  private final LinkedHashMap<String, Long> repliesBeforeMarker = new LinkedHashMap<>();
  private final Map<String, List<Reply>> earlyReplies = new HashMap<>();
  private final Map<String, Long> finalized = new LinkedHashMap<>();

  /**
   * @param checkpointWriter sends one {@code settled} record with the given ids
   */
  Journal(Consumer<List<String>> checkpointWriter) {
    this.checkpointWriter = checkpointWriter;
  }

  /** The call id of a task id: a map chunk {@code <id>:<n>} belongs to call {@code <id>}. */
  static String callId(String taskId) {
    int colon = taskId.lastIndexOf(':');
    return colon < 0 ? taskId : taskId.substring(0, colon);
  }

  /** The chunk index of a task id; 0 for an apply. */
  static int chunkIndex(String taskId) {
    int colon = taskId.lastIndexOf(':');
    try {
      return colon < 0 ? 0 : Integer.parseInt(taskId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---- any thread

  /** A call of this run is about to be journaled. */
  void submitted(String callId) {
    units.put(callId, new Unit(null, -1));
  }

  /** A call's outcome reached its handle, or it was cancelled or discarded. Idempotent. */
  void settled(String callId) {
    if (frozen) {
      return;
    }
    Unit unit = units.get(callId);
    if (unit != null && !unit.settled) {
      unit.settled = true;
      settledQueue.add(callId);
    }
  }

  /**
   * The reply listener stopped for good: the calls it fails from now on got no reply, so none is
   * settled, and the floor stays below them for the next run with this client id to re-attach.
   */
  void freeze() {
    frozen = true;
  }

  /** The call's {@code submitted} record could not be written: it is not durable. */
  void markerLost(String callId) {
    lostMarkers.add(callId);
  }

  /** Calls of earlier runs not yet settled or attached, oldest first. */
  List<DetachedTask> detached() {
    List<Map.Entry<Long, DetachedTask>> found = new ArrayList<>();
    for (Unit unit : units.values()) {
      if (unit.detached != null && !unit.settled && !unit.detached.attached()) {
        found.add(Map.entry(unit.markerOffset, unit.detached.describe()));
      }
    }
    found.sort(Comparator.comparing(Map.Entry::getKey));
    return found.stream().map(Map.Entry::getValue).toList();
  }

  /**
   * The detached call {@code callId}.
   *
   * @throws IllegalArgumentException if no earlier call by that id is waiting
   */
  DetachedUnit unit(String callId) {
    Unit unit = units.get(callId);
    if (unit == null || unit.detached == null || unit.settled) {
      throw new IllegalArgumentException("no detached task " + callId + " of an earlier run");
    }
    return unit.detached;
  }

  // ---- reply listener thread

  /** Whether {@link #endCatchUp()} was called: the earlier runs' records are all read. */
  boolean caughtUp() {
    return caughtUp;
  }

  /** A journal record was read at {@code offset}. */
  void onJournalRecord(long offset, String kind, String key, byte[] value) {
    if (SUBMITTED.equals(kind)) {
      if (caughtUp) {
        ownMarker(offset, key);
      } else {
        earlierMarker(offset, value);
      }
    } else if (SETTLED.equals(kind) && !caughtUp) {
      for (String id : readIds(value)) {
        units.remove(id);
        unsettledMarkers.remove(id);
        earlyReplies.remove(id);
      }
    }
  }

  private void ownMarker(long offset, String callId) {
    Unit unit = callId == null ? null : units.get(callId);
    if (unit == null || unit.detached != null) {
      return;
    }
    repliesBeforeMarker.remove(callId);
    unit.markerOffset = offset;
    if (unit.settled) {
      units.remove(callId);
      finalized.put(callId, offset);
    } else {
      unsettledMarkers.put(callId, offset);
    }
  }

  private void earlierMarker(long offset, byte[] value) {
    JournalEntry entry;
    try {
      entry = ProtocolJson.mapper().readValue(value, JournalEntry.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping unreadable journal record at offset {}: {}", offset, e.toString());
      return;
    }
    DetachedUnit detached = new DetachedUnit(entry);
    units.put(entry.id(), new Unit(detached, offset));
    unsettledMarkers.put(entry.id(), offset);
    List<Reply> early = earlyReplies.remove(entry.id());
    if (early != null) {
      early.forEach(r -> detached.offer(chunkIndex(r.id()), r));
    }
  }

  /** A reply for a live call of this run was read at {@code offset}, before it was handed over. */
  void replyForLiveCall(long offset, String taskId) {
    String callId = callId(taskId);
    Unit unit = units.get(callId);
    if (unit != null && unit.detached == null && unit.markerOffset < 0) {
      // Its submitted record is not read yet: keep the floor below this reply until it is, or a
      // restart in between would find the call unsettled and its reply already passed.
      repliesBeforeMarker.putIfAbsent(callId, offset);
    }
  }

  /**
   * A reply nobody in this run waits for: hands it to a detached call if it belongs to one.
   *
   * @return whether it was taken
   */
  boolean offer(Reply reply) {
    String callId = callId(reply.id());
    Unit unit = units.get(callId);
    if (unit != null && unit.detached != null) {
      unit.detached.offer(chunkIndex(reply.id()), reply);
      return true;
    }
    if (!caughtUp) {
      // A reply may land before its submitted record; wait for the record until catch-up ends.
      earlyReplies.computeIfAbsent(callId, k -> new ArrayList<>()).add(reply);
      return true;
    }
    return false;
  }

  /** Every record written before this run started has been read. */
  void endCatchUp() {
    if (!earlyReplies.isEmpty()) {
      LOG.debug("{} replies of settled tasks re-read at start", earlyReplies.size());
    }
    earlyReplies.clear();
    caughtUp = true;
  }

  /** Applies what other threads settled, and journals calls settled above the floor. */
  void afterBatch() {
    for (String lost; (lost = lostMarkers.poll()) != null; ) {
      repliesBeforeMarker.remove(lost);
      unsettledMarkers.remove(lost);
      units.remove(lost);
    }
    for (String id; (id = settledQueue.poll()) != null; ) {
      Unit unit = units.get(id);
      if (unit != null && unit.markerOffset >= 0) {
        unsettledMarkers.remove(id);
        units.remove(id);
        finalized.put(id, unit.markerOffset);
      }
    }
    if (finalized.isEmpty()) {
      return;
    }
    long floor = Math.min(first(unsettledMarkers), first(repliesBeforeMarker));
    List<String> above = new ArrayList<>();
    finalized.forEach(
        (id, offset) -> {
          if (offset > floor) {
            above.add(id);
          }
        });
    finalized.clear();
    for (int i = 0; i < above.size(); i += CHECKPOINT_BATCH) {
      checkpointWriter.accept(
          List.copyOf(above.subList(i, Math.min(above.size(), i + CHECKPOINT_BATCH))));
    }
  }

  /** The offset to commit: nothing unsettled lies below it. */
  long floor(long position) {
    return Math.min(position, Math.min(first(unsettledMarkers), first(repliesBeforeMarker)));
  }

  private static long first(LinkedHashMap<String, Long> offsets) {
    Iterator<Long> it = offsets.values().iterator();
    return it.hasNext() ? it.next() : Long.MAX_VALUE;
  }

  private static List<String> readIds(byte[] value) {
    try {
      return ProtocolJson.mapper().readValue(value, new TypeReference<List<String>>() {});
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping unreadable settled record: {}", e.toString());
      return List.of();
    }
  }
}
