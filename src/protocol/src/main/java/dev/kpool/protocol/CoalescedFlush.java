package dev.kpool.protocol;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a flush soon, on a daemon thread of its own, for a writer that lingers to batch (a Kafka
 * producer with {@code linger.ms}) but has a write that nothing will follow soon. Requests that
 * come while one flush is pending join it, so a burst of requests costs one flush.
 *
 * <p>Thread-safe; {@link #request} never blocks. After {@link #close} requests are ignored (the
 * writer's own close sends what is left).
 */
public final class CoalescedFlush implements AutoCloseable {
  private final Runnable flush;
  private final ExecutorService thread;
  private final AtomicBoolean pending = new AtomicBoolean();

  /**
   * @param threadName name of the flushing thread
   * @param flush sends what was written so far; it handles its own errors
   */
  public CoalescedFlush(String threadName, Runnable flush) {
    this.flush = flush;
    this.thread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread t = new Thread(runnable, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** Asks for a flush of everything written before this call. Returns at once. */
  public void request() {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(
          () -> {
            pending.set(false); // a write after this point asks for a flush of its own
            flush.run();
          });
    } catch (RejectedExecutionException e) {
      pending.set(false);
    }
  }

  /** Stops the thread without waiting for a pending flush. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
