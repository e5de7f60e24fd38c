package dev.kpool.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The listeners of a handle's round trips (submission to reply, in nanoseconds). Thread-safe;
 * {@link #record} runs them on the calling thread, the reply listener's.
 */
final class RoundTrips {
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  void add(LongConsumer listener) {
    listeners.add(listener);
  }

  void record(long nanos) {
    listeners.forEach(listener -> listener.accept(nanos));
  }
}
