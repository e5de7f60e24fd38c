package dev.kpool.examples.crawler;

/**
 * The argument of task {@code crawl}: fetch one URL and follow its links.
 *
 * @param url the normalized URL to fetch
 * @param depth its distance in links from the seed (the seed is 0)
 * @param maxDepth links of pages at this depth are not followed
 * @param seed the crawl's first URL: it is the task tree's root, not a follow-up with its URL as
 *     id, so the tree does not know it by URL and links back to it are skipped by name
 */
public record CrawlRequest(String url, int depth, int maxDepth, String seed) {
  /** The request for the seed of a crawl. */
  public static CrawlRequest seed(String url, int maxDepth) {
    return new CrawlRequest(url, 0, maxDepth, url);
  }

  /** The request for a link found on this request's page. */
  public CrawlRequest next(String link) {
    return new CrawlRequest(link, depth + 1, maxDepth, seed);
  }
}
