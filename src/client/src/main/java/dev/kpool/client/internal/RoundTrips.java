package dev.kpool.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a handle's round trips (submission to reply, in nanoseconds). Thread-safe;
 * {@link #record} runs them on the calling thread, the reply listener's, and never throws: a
 * listener's exception would otherwise abort the settling of the reply that triggered it.
 */
final class RoundTrips {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTrips.class);
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  // A broken listener fails on every reply; one WARN with its stack says it, the rest would flood.
  private final AtomicBoolean warned = new AtomicBoolean();

  void add(LongConsumer listener) {
    listeners.add(listener);
  }

  void record(long nanos) {
    for (LongConsumer listener : listeners) {
      try {
        listener.accept(nanos);
      } catch (RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
          LOG.warn("a round-trip listener threw (further failures at DEBUG): {}", e.toString(), e);
        } else {
          LOG.debug("a round-trip listener threw: {}", e.toString());
        }
      }
    }
  }
}
