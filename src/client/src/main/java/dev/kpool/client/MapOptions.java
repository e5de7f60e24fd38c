package dev.kpool.client;

import java.time.Duration;

/**
 * How a {@code map}, {@code starmap} or {@code imap} call cuts and paces its input. Immutable;
 * start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * MapOptions.DEFAULT.withChunksize(100).withWindow(8).withProgress((done, total) -> bar.draw(done, total))
 * }</pre>
 *
 * @param chunksize items per task record and per worker call, as Python's {@code chunksize}; at
 *     least 1. A chunk stops at its first failing item.
 * @param window {@code imap} only: the most chunks submitted but not yet consumed by the caller.
 *     The input is pulled lazily as the caller consumes results, so at most {@code window *
 *     chunksize} items and results are held at once, whatever the input's length. {@code map}
 *     submits every chunk at once, as Python does, bounded only by the pool's in-flight limit.
 * @param itemTimeout {@code imap} only: how long {@link ResultIterator#next()} waits for the next
 *     result before it throws {@link ResultTimeoutException}
 * @param progress told how many items are done, on the callback executor; {@code null} for none
 */
public record MapOptions(
    int chunksize, int window, Duration itemTimeout, ProgressListener progress) {

  /** Default {@link #window()}: chunks an {@code imap} keeps between submission and consumption. */
  public static final int DEFAULT_WINDOW = 32;

  /** Default {@link #itemTimeout()}. */
  public static final Duration DEFAULT_ITEM_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Chunk size 1, window {@value #DEFAULT_WINDOW}, item timeout 5 minutes, no progress listener.
   */
  public static final MapOptions DEFAULT =
      new MapOptions(1, DEFAULT_WINDOW, DEFAULT_ITEM_TIMEOUT, null);

  /**
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public MapOptions {
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1: " + chunksize);
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1: " + window);
    }
    if (itemTimeout == null || itemTimeout.isNegative() || itemTimeout.isZero()) {
      throw new IllegalArgumentException("itemTimeout must be a positive duration: " + itemTimeout);
    }
  }

  /** These options with another chunk size. */
  public MapOptions withChunksize(int chunksize) {
    return new MapOptions(chunksize, window, itemTimeout, progress);
  }

  /** These options with another imap window. */
  public MapOptions withWindow(int window) {
    return new MapOptions(chunksize, window, itemTimeout, progress);
  }

  /** These options with another imap item timeout. */
  public MapOptions withItemTimeout(Duration itemTimeout) {
    return new MapOptions(chunksize, window, itemTimeout, progress);
  }

  /** These options with a progress listener ({@code null} for none). */
  public MapOptions withProgress(ProgressListener progress) {
    return new MapOptions(chunksize, window, itemTimeout, progress);
  }
}
