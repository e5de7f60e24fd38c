package dev.kpool.examples.crawler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SiteTest {
  private final Site site = Site.generate(SiteSpec.DEFAULT);
  private final SiteTruth truth = SiteTruth.of(site, SiteSpec.DEFAULT.maxDepth());

  @Test
  void theSameSpecGivesTheSameSite() {
    assertEquals(site, Site.generate(SiteSpec.DEFAULT));
  }

  @Test
  void servesTwoThousandPagesOnSixHostsWithEveryKindOfTrouble() {
    assertEquals(2_000, site.pages().size());
    assertEquals(6, site.hosts().size());
    Map<PageKind, Long> kinds =
        site.pages().values().stream()
            .collect(Collectors.groupingBy(SitePage::kind, Collectors.counting()));
    assertEquals(Set.of(PageKind.values()), kinds.keySet(), kinds.toString());
    Set<String> hostsOfPages =
        site.pages().keySet().stream()
            .map(url -> url.substring(7, url.indexOf('/', 7)))
            .collect(Collectors.toSet());
    assertEquals(Set.copyOf(site.hosts()), hostsOfPages);
  }

  @Test
  void theTruthHoldsEveryKindOfOutcomeAndStopsAtTheMaximumDepth() {
    assertEquals(
        Set.of("ok", "http_500", "timeout", "not_found", "disallowed"),
        truth.kinds().keySet(),
        truth.kinds().toString());
    assertEquals(
        SiteSpec.DEFAULT.maxDepth(),
        truth.depths().keySet().stream().mapToInt(d -> d).max().orElseThrow());
    assertTrue(
        truth.outcomes().size() > 1_500, "most of the site is reached: " + truth.outcomes().size());
    long beyond =
        site.pages().values().stream().filter(p -> p.layer() > SiteSpec.DEFAULT.maxDepth()).count();
    assertTrue(
        beyond > 0
            && site.pages().values().stream()
                .filter(p -> p.layer() > SiteSpec.DEFAULT.maxDepth())
                .noneMatch(p -> truth.outcomes().containsKey(p.url())),
        "the last layer lies beyond the crawl");
  }

  @Test
  void everyFollowedLinkLeadsOneLayerDownOrWhereTheCrawlHasBeen() {
    // What makes the depths independent of the crawl's order: a link from a page at depth d reaches
    // a new URL only at depth d + 1.
    truth
        .outcomes()
        .forEach(
            (url, at) -> {
              SitePage page = site.pages().get(url);
              if (page == null
                  || !at.kind().equals("ok")
                  || at.depth() >= SiteSpec.DEFAULT.maxDepth()) {
                return;
              }
              assertEquals(page.layer(), at.depth(), url);
              for (SiteLink link : page.links()) {
                if (link.target() != null
                    && !link.target().equals(url)
                    && !link.target().equals(site.seedUrl())) {
                  assertEquals(
                      at.depth() + 1,
                      truth.outcomes().get(link.target()).depth(),
                      url + " -> " + link);
                }
              }
            });
  }

  @Test
  void robotsTxtShutsOutPrivatePathsOnAllHostsButTheLast() {
    assertTrue(site.disallowed("h0.site.test", "/private/3"));
    assertTrue(site.disallowed("h2.site.test", "/p/71"));
    assertTrue(!site.disallowed("h5.site.test", "/private/3"));
    assertEquals(404, site.answer("h5.site.test", "/robots.txt").status());
    assertEquals(200, site.answer("h5.site.test", "/private/3").status());
  }
}
