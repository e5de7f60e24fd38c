package dev.kpool.examples.crawler;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a correct crawl of a {@link Site} must find, computed from the generator's own link targets
 * (never by parsing its HTML): every URL the crawl reaches from the seed within {@code maxDepth},
 * honouring robots.txt, with the outcome kind and depth it must report. A page is expanded only if
 * it answered 200 and lies above {@code maxDepth}.
 *
 * @param outcomes the reached URLs, in breadth-first order, with kind and depth
 */
public record SiteTruth(Map<String, Expected> outcomes) {

  /** One reached URL: its outcome {@link PageResult#kind()} and its depth from the seed. */
  public record Expected(String kind, int depth) {}

  /** The truth of a crawl of {@code site} from its seed down to {@code maxDepth}. */
  public static SiteTruth of(Site site, int maxDepth) {
    Map<String, Expected> reached = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    reached.put(site.seedUrl(), new Expected(kind(site, site.seedUrl()), 0));
    queue.add(site.seedUrl());
    while (!queue.isEmpty()) {
      String url = queue.poll();
      Expected at = reached.get(url);
      SitePage page = site.pages().get(url);
      if (page == null || !at.kind().equals(PageResult.OK) || at.depth() >= maxDepth) {
        continue;
      }
      for (SiteLink link : page.links()) {
        if (link.target() != null && !reached.containsKey(link.target())) {
          reached.put(link.target(), new Expected(kind(site, link.target()), at.depth() + 1));
          queue.add(link.target());
        }
      }
    }
    return new SiteTruth(Collections.unmodifiableMap(reached));
  }

  private static String kind(Site site, String url) {
    URI uri = URI.create(url);
    if (site.disallowed(uri.getHost(), uri.getRawPath())) {
      return PageResult.DISALLOWED;
    }
    SiteAnswer answer = site.answer(uri.getHost(), uri.getRawPath());
    if (answer.hang()) {
      return PageResult.TIMEOUT;
    }
    return PageResult.kindOf(answer.status());
  }

  /** Reached URLs per outcome kind. */
  public Map<String, Long> kinds() {
    return outcomes.values().stream()
        .collect(Collectors.groupingBy(Expected::kind, TreeMap::new, Collectors.counting()));
  }

  /** Reached URLs per depth. */
  public Map<Integer, Long> depths() {
    return outcomes.values().stream()
        .collect(Collectors.groupingBy(Expected::depth, TreeMap::new, Collectors.counting()));
  }

  /** The URLs the crawl must request from the server: every reached one that robots.txt allows. */
  public Set<String> fetched() {
    return outcomes.entrySet().stream()
        .filter(e -> !e.getValue().kind().equals(PageResult.DISALLOWED))
        .map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }
}
