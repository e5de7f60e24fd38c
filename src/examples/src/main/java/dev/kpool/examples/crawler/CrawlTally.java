package dev.kpool.examples.crawler;

import dev.kpool.client.TreeListener;
import dev.kpool.client.TreeNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adds up a crawl's replies as they arrive. Thread-safe: {@link #onReply} runs on the pool's
 * callback executor while any thread reads the counts.
 */
final class CrawlTally implements TreeListener {
  private final long startNanos = System.nanoTime();
  private final Map<String, Long> kinds = new TreeMap<>();
  private final Map<Integer, Long> depths = new TreeMap<>();
  private final LongAdder pages = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder failedTasks = new LongAdder();
  private volatile long lastNanos = startNanos;

  // --- guide: crawl-listener ---
  @Override
  public void onReply(TreeNode node) {
    if (node.succeeded()) {
      PageResult page = node.result(Crawl.TASK);
      synchronized (this) {
        kinds.merge(page.kind(), 1L, Long::sum);
        depths.merge(page.depth(), 1L, Long::sum);
      }
      pages.increment();
      if (page.error() != null) {
        errors.increment();
      }
    } else {
      failedTasks.increment();
    }
    lastNanos = System.nanoTime();
  }

  // --- end ---

  /** URLs crawled so far. */
  long pages() {
    return pages.sum();
  }

  /** URLs crawled so far whose kind is not {@code ok}, plus failed tasks. */
  long errors() {
    return errors.sum() + failedTasks.sum();
  }

  /** Seconds since this tally was created. */
  double secondsSoFar() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The counts so far, timed up to the last reply. */
  synchronized CrawlSummary summary() {
    return new CrawlSummary(
        pages.sum(),
        new TreeMap<>(kinds),
        new TreeMap<>(depths),
        failedTasks.sum(),
        (lastNanos - startNanos) / 1e9);
  }
}
