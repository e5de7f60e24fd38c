package dev.kpool.client;

/**
 * Hears how far a {@code map} or {@code imap} call has come, e.g. to draw a progress bar.
 *
 * <p>Runs on the pool's callback executor, never on a Kafka I/O thread; with the default
 * single-thread executor calls arrive in order and {@code done} only grows. A listener that throws
 * is logged and the call goes on.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param done items whose results have arrived (for a failed call, those before the failure)
   * @param total items in the call, or -1 while unknown (an {@code imap} over an {@link Iterable}
   *     that is not a {@link java.util.Collection})
   */
  void onProgress(long done, long total);
}
