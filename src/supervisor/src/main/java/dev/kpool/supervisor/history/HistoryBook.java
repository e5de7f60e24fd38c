package dev.kpool.supervisor.history;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshots read back from {@code kpool.events}, kept per supervisor run: the last one of every
 * run (the totals) and those of the last {@link #WINDOW} and a step (the throughput). Runs are
 * summed, so a pool's totals go on across restarts and supervisors. Thread-safe: the reader
 * thread adds, request threads read.
 */
public final class HistoryBook {
  /** How far back the throughput goes: the dashboard's chart. */
  public static final Duration WINDOW = Duration.ofMinutes(2);

  /** One throughput sample per step; supervisors write a snapshot each step. */
  public static final Duration STEP = Duration.ofSeconds(2);

  private final Map<String, Deque<PoolSnapshot>> runs = new HashMap<>();

  /**
   * Takes in a snapshot read from the topic, in topic order per run. One without a pool or a run
   * (not written by a supervisor) is left out: it would be summed into no pool's totals, or
   * into every run's, and the topic keeps it for good.
   *
   * @return whether the snapshot was taken in
   */
  public synchronized boolean add(PoolSnapshot snapshot, long nowMillis) {
    if (snapshot.pool() == null || snapshot.supervisor() == null) {
      return false;
    }
    Deque<PoolSnapshot> run = runs.computeIfAbsent(snapshot.key(), key -> new ArrayDeque<>());
    run.addLast(snapshot);
    long keepFrom = nowMillis - WINDOW.toMillis() - 2 * STEP.toMillis();
    while (run.size() > 1 && run.peekFirst().at() < keepFrom) {
      run.removeFirst();
    }
    return true;
  }

  /** The pool's totals and throughput as of {@code nowMillis}. */
  public synchronized PoolHistory history(String pool, long nowMillis) {
    Map<String, Long> totals = new TreeMap<>();
    int steps = (int) (WINDOW.toMillis() / STEP.toMillis());
    long from = nowMillis - nowMillis % STEP.toMillis() - (steps - 1) * STEP.toMillis();
    long[] tasks = new long[steps];
    long[] millis = new long[steps];
    int count = 0;
    for (Deque<PoolSnapshot> run : runs.values()) {
      PoolSnapshot last = run.peekLast();
      if (!last.pool().equals(pool)) {
        continue;
      }
      count++;
      last.tasks().forEach((kind, n) -> totals.merge(kind, n, Long::sum));
      List<PoolSnapshot> ordered = new ArrayList<>(run);
      ordered.sort(Comparator.comparingLong(PoolSnapshot::at));
      PoolSnapshot previous = null;
      for (PoolSnapshot snapshot : ordered) {
        // A run's first snapshot counts from zero at its start; a later one from the one before.
        long done = snapshot.done() - (previous == null ? 0 : previous.done());
        long spent = snapshot.taskMillis() - (previous == null ? 0 : previous.taskMillis());
        boolean known = previous != null || snapshot.started() >= from;
        int step = (int) Math.floorDiv(snapshot.at() - from, STEP.toMillis());
        if (known && step >= 0 && step < steps) {
          tasks[step] += done;
          millis[step] += spent;
        }
        previous = snapshot;
      }
    }
    List<PoolHistory.Sample> samples = new ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      samples.add(
          new PoolHistory.Sample(
              from + i * STEP.toMillis(),
              tasks[i],
              tasks[i] * 1000.0 / STEP.toMillis(),
              tasks[i] == 0 ? 0 : (double) millis[i] / tasks[i]));
    }
    return new PoolHistory(pool, totals, count, samples);
  }
}
