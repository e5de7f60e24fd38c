package dev.kpool.supervisor.keyed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-key admission: at most {@code maxInFlight} items of one key running, and at most {@code
 * ratePerSecond} starts of one key per second (spaced evenly, no bursts). Items of a key start in
 * the order they were offered. Not thread-safe: the keyed lane's thread owns it.
 *
 * @param <T> the waiting item
 */
public final class KeyGate<T> {
  private final int maxInFlight;
  private final long spacingNanos;
  private final Map<String, KeyState<T>> keys = new HashMap<>();
  private int waiting;

  private static final class KeyState<T> {
    final ArrayDeque<T> queue = new ArrayDeque<>();
    int inFlight;
    long nextStart = Long.MIN_VALUE;
    boolean started;
  }

  /**
   * @param maxInFlight items of one key running at once; {@link Integer#MAX_VALUE} for no limit
   * @param ratePerSecond starts of one key per second; {@link Double#POSITIVE_INFINITY} for no limit
   */
  public KeyGate(int maxInFlight, double ratePerSecond) {
    this.maxInFlight = maxInFlight;
    this.spacingNanos = Double.isInfinite(ratePerSecond) ? 0 : (long) (1e9 / ratePerSecond);
  }

  /** Queues an item behind the others of its key. */
  public void offer(String key, T item) {
    keys.computeIfAbsent(key, k -> new KeyState<>()).queue.addLast(item);
    waiting++;
  }

  /** Puts an item back at the head of its key's queue (it is to run again next). */
  public void offerFirst(String key, T item) {
    keys.computeIfAbsent(key, k -> new KeyState<>()).queue.addFirst(item);
    waiting++;
  }

  /** Takes every item that may start now, marking each running. */
  public List<Map.Entry<String, T>> takeReady(long nowNanos) {
    return takeReady(nowNanos, Integer.MAX_VALUE);
  }

  /** Takes up to {@code max} items that may start now, marking each running. */
  public List<Map.Entry<String, T>> takeReady(long nowNanos, int max) {
    List<Map.Entry<String, T>> ready = new ArrayList<>();
    for (Map.Entry<String, KeyState<T>> entry : keys.entrySet()) {
      KeyState<T> state = entry.getValue();
      while (ready.size() < max && mayStart(state, nowNanos)) {
        ready.add(Map.entry(entry.getKey(), state.queue.pollFirst()));
        waiting--;
        state.inFlight++;
        state.started = true;
        state.nextStart = nowNanos + spacingNanos;
      }
    }
    return ready;
  }

  /** How many waiting items the limits would let start now, were there workers for them. */
  public int startable(long nowNanos) {
    int count = 0;
    for (KeyState<T> state : keys.values()) {
      if (mayStart(state, nowNanos)) {
        count += Math.min(state.queue.size(), maxInFlight - state.inFlight);
      }
    }
    return count;
  }

  private boolean mayStart(KeyState<T> state, long nowNanos) {
    return !state.queue.isEmpty()
        && state.inFlight < maxInFlight
        && (!state.started || nowNanos - state.nextStart >= 0);
  }

  /** An item of {@code key} finished. */
  public void release(String key) {
    KeyState<T> state = keys.get(key);
    if (state != null && state.inFlight > 0) {
      state.inFlight--;
      forgetIfIdle(key, state);
    }
  }

  /** Nanoseconds until the rate allows the next waiting start, 0 if something may start now or nothing waits. */
  public long nanosUntilNextStart(long nowNanos) {
    long soonest = Long.MAX_VALUE;
    for (KeyState<T> state : keys.values()) {
      if (!state.queue.isEmpty() && state.inFlight < maxInFlight) {
        soonest = Math.min(soonest, state.started ? Math.max(0, state.nextStart - nowNanos) : 0);
      }
    }
    return soonest == Long.MAX_VALUE ? 0 : soonest;
  }

  /** Removes waiting items that match, e.g. those of a partition this lane no longer owns. */
  public void drop(Predicate<T> which) {
    Iterator<Map.Entry<String, KeyState<T>>> it = keys.entrySet().iterator();
    while (it.hasNext()) {
      KeyState<T> state = it.next().getValue();
      int before = state.queue.size();
      state.queue.removeIf(which);
      waiting -= before - state.queue.size();
    }
  }

  /** Items waiting to start. */
  public int waiting() {
    return waiting;
  }

  private void forgetIfIdle(String key, KeyState<T> state) {
    // Keep the state while the rate still spaces this key's starts.
    if (state.inFlight == 0 && state.queue.isEmpty() && spacingNanos == 0) {
      keys.remove(key);
    }
  }
}
