package dev.kpool.supervisor.dispatch;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Running counters of one pool; thread-safe, cheap to update from slot threads. */
public final class PoolStats {
  private final Map<Outcome.Kind, LongAdder> outcomes = new EnumMap<>(Outcome.Kind.class);
  private final LongAdder workerStarts = new LongAdder();
  private final LongAdder workerCrashes = new LongAdder();
  private final LongAdder taskMillis = new LongAdder();
  private final AtomicLong maxTaskMillis = new AtomicLong();

  PoolStats() {
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      outcomes.put(kind, new LongAdder());
    }
  }

  void taskFinished(Outcome.Kind kind, long millis) {
    outcomes.get(kind).increment();
    taskMillis.add(millis);
    maxTaskMillis.accumulateAndGet(millis, Math::max);
  }

  void workerStarted() {
    workerStarts.increment();
  }

  void workerCrashed() {
    workerCrashes.increment();
  }

  /** Tasks that ended with {@code kind} since start. */
  public long tasks(Outcome.Kind kind) {
    return outcomes.get(kind).sum();
  }

  /** Worker processes started since start, restarts included. */
  public long workerStarts() {
    return workerStarts.sum();
  }

  /** Worker processes that died or hung while running a task. */
  public long workerCrashes() {
    return workerCrashes.sum();
  }

  /** Total worker time spent on tasks, in milliseconds. */
  public long taskMillis() {
    return taskMillis.sum();
  }

  /** Longest single task, in milliseconds. */
  public long maxTaskMillis() {
    return maxTaskMillis.get();
  }
}
