package dev.kpool.supervisor.dispatch;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/** Running counters of one pool; thread-safe, cheap to update from slot threads. */
public final class PoolStats {
  /** Weight of the newest sample in the moving averages. */
  private static final double ALPHA = 0.2;

  private final Map<Outcome.Kind, LongAdder> outcomes = new EnumMap<>(Outcome.Kind.class);
  private final LongAdder workerStarts = new LongAdder();
  private final LongAdder workerCrashes = new LongAdder();
  private final LongAdder workerRecycles = new LongAdder();
  private final LongAdder taskMillis = new LongAdder();
  private final AtomicLong maxTaskMillis = new AtomicLong();
  private final Average avgTaskMillis = new Average(10);
  private final Average avgStartMillis = new Average(1_000);
  private final List<ObjLongConsumer<Outcome.Kind>> finishListeners = new CopyOnWriteArrayList<>();

  /** An exponentially weighted moving average. */
  private static final class Average {
    private double value;

    Average(double initial) {
      this.value = initial;
    }

    synchronized void add(double sample) {
      value += ALPHA * (sample - value);
    }

    synchronized double get() {
      return value;
    }
  }

  PoolStats() {
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      outcomes.put(kind, new LongAdder());
    }
  }

  void taskFinished(Outcome.Kind kind, long millis) {
    outcomes.get(kind).increment();
    taskMillis.add(millis);
    maxTaskMillis.accumulateAndGet(millis, Math::max);
    avgTaskMillis.add(millis);
    finishListeners.forEach(listener -> listener.accept(kind, millis));
  }

  /**
   * Also tells {@code listener} of every task that ends (its outcome and milliseconds), on the
   * thread that ends it; the listener must not block. Metrics feed their duration histogram so.
   */
  public void onTaskFinished(ObjLongConsumer<Outcome.Kind> listener) {
    finishListeners.add(listener);
  }

  void workerStarted(long startMillis) {
    workerStarts.increment();
    avgStartMillis.add(startMillis);
  }

  void workerCrashed() {
    workerCrashes.increment();
  }

  void workerRecycled() {
    workerRecycles.increment();
  }

  /** Tasks that ended with {@code kind} since start. */
  public long tasks(Outcome.Kind kind) {
    return outcomes.get(kind).sum();
  }

  /** Worker processes started since start, restarts and replacements included. */
  public long workerStarts() {
    return workerStarts.sum();
  }

  /** Worker processes that died or hung while running a task. */
  public long workerCrashes() {
    return workerCrashes.sum();
  }

  /** Worker processes replaced for their task count, memory or age. */
  public long workerRecycles() {
    return workerRecycles.sum();
  }

  /** Total worker time spent on tasks, in milliseconds. */
  public long taskMillis() {
    return taskMillis.sum();
  }

  /** Longest single task, in milliseconds. */
  public long maxTaskMillis() {
    return maxTaskMillis.get();
  }

  /** Recent mean task time, in milliseconds. */
  public double avgTaskMillis() {
    return avgTaskMillis.get();
  }

  /** Recent mean time from spawning a worker to its being ready, in milliseconds. */
  public double avgStartMillis() {
    return avgStartMillis.get();
  }
}
