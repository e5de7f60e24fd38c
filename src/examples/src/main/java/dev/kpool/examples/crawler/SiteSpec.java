package dev.kpool.examples.crawler;

/**
 * What to generate: the same spec always gives the same site.
 *
 * @param seed seed of the generator's random choices
 * @param pages pages served in all (not counting 404s and {@code /private/} pages)
 * @param hosts logical host names {@code h0.site.test} .. {@code h<hosts-1>.site.test}
 * @param maxDepth the crawl depth the site is shaped for: its pages sit in layers 0 .. {@code
 *     maxDepth + 1}, so the last layer exists but lies beyond the crawl
 */
public record SiteSpec(long seed, int pages, int hosts, int maxDepth) {
  /** 2,000 pages on 6 hosts, crawled to depth 5. */
  public static final SiteSpec DEFAULT = new SiteSpec(5L, 2_000, 6, 5);

  public SiteSpec {
    if (hosts < 1 || maxDepth < 1 || pages < maxDepth + 2) {
      throw new IllegalArgumentException(
          "a site needs a host, depth 1 and a page per layer: " + this);
    }
  }

  /** This spec with {@code pages} pages. */
  public SiteSpec withPages(int pages) {
    return new SiteSpec(seed, pages, hosts, maxDepth);
  }
}
