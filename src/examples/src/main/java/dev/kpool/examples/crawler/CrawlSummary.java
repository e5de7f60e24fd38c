package dev.kpool.examples.crawler;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The end of a crawl: what its task tree reported.
 *
 * @param pages URLs crawled (tasks of the tree that returned a {@link PageResult})
 * @param kinds URLs per outcome kind: {@code ok}, {@code http_500}, {@code timeout}, ...
 * @param depths URLs per depth from the seed
 * @param failedTasks crawl tasks that failed instead of returning a result (none, normally)
 * @param seconds from the seed's submission to the tree's last reply
 */
public record CrawlSummary(
    long pages,
    SortedMap<String, Long> kinds,
    SortedMap<Integer, Long> depths,
    long failedTasks,
    double seconds) {

  public CrawlSummary {
    kinds = Collections.unmodifiableSortedMap(new TreeMap<>(kinds));
    depths = Collections.unmodifiableSortedMap(new TreeMap<>(depths));
  }

  /** Crawled URLs whose kind is not {@code ok}. */
  public long errors() {
    return pages - kinds.getOrDefault(PageResult.OK, 0L);
  }

  public double pagesPerSecond() {
    return seconds > 0 ? pages / seconds : 0;
  }

  /** A few lines for the console. */
  public String describe() {
    return String.format(
        "pages %d in %.1f s (%.0f pages/s), failed tasks %d%n  by kind:  %s%n  by depth: %s",
        pages, seconds, pagesPerSecond(), failedTasks, join(kinds), join(depths));
  }

  private static String join(Map<?, Long> counts) {
    return counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
