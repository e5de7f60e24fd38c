package dev.kpool.examples.crawler;

import dev.kpool.client.AsyncTree;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import java.time.Duration;

/**
 * A running crawl, from the client's side: one task tree whose root crawls the seed and whose
 * follow-ups crawl every page it led to. Results arrive through the tree's listener as each page
 * is done; the crawl is over when every task of the tree has replied. Thread-safe.
 */
public final class Crawl {
  /** The crawl task as the client sees it. */
  public static final Task<CrawlRequest, PageResult> TASK =
      Task.of(CrawlWorker.TASK, CrawlRequest.class, PageResult.class);

  private final AsyncTree tree;
  private final CrawlTally tally;

  private Crawl(AsyncTree tree, CrawlTally tally) {
    this.tree = tree;
    this.tally = tally;
  }

  /**
   * Starts crawling from {@code seedUrl}, following links down to {@code maxDepth}.
   *
   * @throws dev.kpool.client.PoolClosedException if the pool is closed
   */
  public static Crawl start(Pool pool, String seedUrl, int maxDepth) {
    // --- guide: crawl-start ---
    CrawlTally tally = new CrawlTally();
    AsyncTree tree = pool.applyTree(TASK, CrawlRequest.seed(seedUrl, maxDepth), tally);
    // --- end ---
    return new Crawl(tree, tally);
  }

  /** Whether every task of the tree has replied. */
  public boolean done() {
    return tree.ready();
  }

  /** URLs crawled so far. */
  public long pagesDone() {
    return tally.pages();
  }

  /** URLs known so far: crawled, queued or running. */
  public long pagesKnown() {
    return tree.tasksKnown();
  }

  /** Crawled URLs that were not {@code ok}, and failed tasks, so far. */
  public long errors() {
    return tally.errors();
  }

  /** Seconds since the crawl started. */
  public double seconds() {
    return tally.secondsSoFar();
  }

  /**
   * Waits for the whole tree, then sums it up.
   *
   * @throws dev.kpool.client.ResultTimeoutException if it is not done within {@code timeout}
   */
  public CrawlSummary await(Duration timeout) {
    tree.get(timeout);
    return tally.summary();
  }

  /** The counts so far, whether or not the crawl is done. */
  public CrawlSummary summarySoFar() {
    return tally.summary();
  }
}
