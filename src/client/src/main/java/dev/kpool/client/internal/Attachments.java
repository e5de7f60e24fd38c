package dev.kpool.client.internal;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.DetachedTask;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A durable handle's side of re-attaching: turns the journal's detached calls into handles, counts
 * them as outstanding until they settle, and fails or cancels them when the handle closes.
 * Thread-safe.
 */
final class Attachments {
  /** A re-attached call: its handle, and the task records to cancel. */
  private record Attached(FutureResult<?> result, List<String> taskIds) {}

  private final Journal journal;
  private final InFlight inFlight;
  private final Callbacks callbacks;
  private final Map<String, Attached> attached = new ConcurrentHashMap<>();

  Attachments(Journal journal, InFlight inFlight, Callbacks callbacks) {
    this.journal = journal;
    this.inFlight = inFlight;
    this.callbacks = callbacks;
  }

  List<DetachedTask> detached() {
    return journal.detached();
  }

  <R> AsyncResult<R> attach(Task<?, R> task, String taskId) {
    DetachedUnit unit = unit(task, taskId, DetachedTask.Kind.APPLY);
    FutureResult<R> result = new FutureResult<>(taskId, callbacks);
    track(result, unit.entry());
    unit.attach(new ApplyCall<>(task, result));
    return result;
  }

  <R> AsyncResult<List<R>> attachMap(Task<?, R> task, String mapId) {
    DetachedUnit unit = unit(task, mapId, DetachedTask.Kind.MAP);
    JournalEntry entry = unit.entry();
    FutureResult<List<R>> result = new FutureResult<>(mapId, callbacks);
    track(result, entry);
    Progress progress = new Progress(null, callbacks, entry.items());
    unit.attach(new MapCall<>(task, entry.items(), entry.chunksize(), result, progress));
    return result;
  }

  void discard(String taskId) {
    DetachedUnit unit = journal.unit(taskId);
    if (unit.attached()) {
      throw new IllegalStateException("task " + taskId + " is attached");
    }
    journal.settled(taskId);
  }

  private DetachedUnit unit(Task<?, ?> task, String id, DetachedTask.Kind kind) {
    DetachedUnit unit = journal.unit(id);
    JournalEntry entry = unit.entry();
    if (entry.kind() != kind) {
      throw new IllegalArgumentException(
          "detached task "
              + id
              + " is a "
              + entry.kind()
              + "; use "
              + (entry.kind() == DetachedTask.Kind.MAP ? "attachMap" : "attach"));
    }
    if (!entry.task().equals(task.name())) {
      throw new IllegalArgumentException(
          "detached task " + id + " ran " + entry.task() + ", not " + task.name());
    }
    return unit;
  }

  /** Counts a re-attached call as outstanding until it settles. */
  private void track(FutureResult<?> result, JournalEntry entry) {
    List<String> ids = new ArrayList<>(entry.chunks());
    if (entry.kind() == DetachedTask.Kind.APPLY) {
      ids.add(entry.id());
    } else {
      for (int k = 0; k < entry.chunks(); k++) {
        ids.add(entry.id() + ":" + k);
      }
    }
    inFlight.add();
    attached.put(entry.id(), new Attached(result, ids));
    result.whenDone(
        error -> {
          attached.remove(entry.id());
          inFlight.release();
          if (!(error instanceof PoolClosedException)) {
            journal.settled(entry.id());
          }
        });
  }

  /** Fails every attached call that is not settled with {@code why}; returns their task ids. */
  List<String> failAll(RuntimeException why) {
    List<String> ids = new ArrayList<>();
    for (Attached a : List.copyOf(attached.values())) {
      if (a.result().fail(why)) {
        ids.addAll(a.taskIds());
      }
    }
    return ids;
  }
}
