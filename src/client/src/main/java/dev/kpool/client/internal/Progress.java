package dev.kpool.client.internal;

import dev.kpool.client.ProgressListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the done items of one call and tells its {@link ProgressListener} on the callback
 * executor.
 */
final class Progress {
  private final ProgressListener listener;
  private final Callbacks callbacks;
  private final AtomicLong done = new AtomicLong();
  private volatile long total;

  Progress(ProgressListener listener, Callbacks callbacks, long total) {
    this.listener = listener;
    this.callbacks = callbacks;
    this.total = total;
  }

  /** Adds {@code items} done items and reports the new count. */
  void add(long items) {
    long now = done.addAndGet(items);
    report(now);
  }

  /** Fixes the total once an input of unknown length has been read to its end. */
  void total(long total) {
    this.total = total;
    report(done.get());
  }

  long done() {
    return done.get();
  }

  private void report(long now) {
    if (listener != null) {
      long t = total;
      callbacks.run(() -> listener.onProgress(now, t));
    }
  }
}
