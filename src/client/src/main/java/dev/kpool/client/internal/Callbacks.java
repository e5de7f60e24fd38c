package dev.kpool.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs user code (callbacks, progress listeners, future stages) on the callback executor, never on
 * the caller of {@link #run}, and counts what is still queued so that {@code join} can wait for it.
 * A callback that throws is logged and forgotten.
 */
final class Callbacks {
  private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

  private final Executor executor;
  private final ExecutorService owned;
  private final String pool;
  private int pending;

  private Callbacks(Executor executor, ExecutorService owned, String pool) {
    this.executor = executor;
    this.owned = owned;
    this.pool = pool;
  }

  /** Callbacks on {@code executor}, or on a new daemon thread of this handle when it is null. */
  static Callbacks create(Executor executor, String pool, String clientId) {
    if (executor != null) {
      return new Callbacks(executor, null, pool);
    }
    ExecutorService own =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "kpool-callbacks-" + clientId);
              t.setDaemon(true);
              return t;
            });
    return new Callbacks(own, own, pool);
  }

  /** Queues {@code callback}; if the executor refuses it, logs and drops it. */
  void run(Runnable callback) {
    synchronized (this) {
      pending++;
    }
    try {
      executor.execute(
          () -> {
            try {
              callback.run();
            } catch (RuntimeException | Error e) {
              LOG.warn("a callback of pool {} threw: {}", pool, e.toString(), e);
            } finally {
              done();
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.warn("callback executor of pool {} refused a callback: {}", pool, e.toString());
      done();
    }
  }

  /** Counts as a queued callback until {@link #done()}: for work about to schedule callbacks. */
  synchronized void hold() {
    pending++;
  }

  /** Ends a {@link #hold()}, or a queued callback. */
  synchronized void done() {
    pending--;
    notifyAll();
  }

  /**
   * Waits up to {@code timeout} until no queued callback is left; returns whether that happened.
   */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Lets queued callbacks run for up to {@code timeout}, then stops an executor this class made.
   */
  void shutdown(Duration timeout) {
    try {
      awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (owned != null) {
      owned.shutdownNow();
    }
  }
}
