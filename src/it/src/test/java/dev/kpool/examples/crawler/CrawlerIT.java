package dev.kpool.examples.crawler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crawler end to end: a generated site of 2,000 pages on six hosts, one supervisor serving a
 * keyed crawl pool ({@code key-concurrency=2}) of Java or of Python worker processes, and a client
 * that crawls the site as one task tree. The crawl's summary must equal the site's truth exactly,
 * and the server's own counts must show each allowed page fetched once, no disallowed page
 * fetched, and never more than two requests in flight to one host.
 *
 * <p>A page fetched twice fails the test, retries included: a crawl task reports a page's 500 or
 * timeout as its result and does not fail, so nothing should be retried; a second fetch would mean
 * a worker crashed or a task ran twice, and the test says which page.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Execution(ExecutionMode.CONCURRENT) // each test has a pool of its own and mostly waits
class CrawlerIT {
  private static final int WORKERS = 4;
  private static final Duration CRAWL_LIMIT = Duration.ofMinutes(5);

  @ParameterizedTest(name = "{0} workers")
  @EnumSource(CrawlPool.Language.class)
  void crawlsTheSiteToItsTruthWithAtMostTwoRequestsPerHost(
      CrawlPool.Language language, KafkaTestBroker broker) throws Exception {
    SiteSpec spec = SiteSpec.DEFAULT;
    Site site = Site.generate(spec);
    SiteTruth truth = SiteTruth.of(site, spec.maxDepth());
    String pool = "crawl-" + language.name().toLowerCase(Locale.ROOT);
    String bootstrap = broker.bootstrapServers();
    try (SiteServer server = SiteServer.start(site);
        SupervisorProcess supervisor =
            SupervisorProcess.start(
                KpoolHome.locate(),
                CrawlPool.supervisorProperties(
                    bootstrap, pool, WORKERS, language, server.endpoints()),
                Path.of("target", pool + "-supervisor.log"),
                Duration.ofSeconds(90));
        Pool client = Pool.builder().bootstrapServers(bootstrap).pool(pool).build()) {
      Crawl crawl = Crawl.start(client, site.seedUrl(), spec.maxDepth());
      CrawlSummary summary = crawl.await(CRAWL_LIMIT);
      System.out.printf(
          "%s crawl: %s%n  most in flight per host: %s%n",
          language, summary.describe(), server.maxInFlight());

      assertEquals(0, summary.failedTasks(), "no crawl task failed");
      assertEquals(truth.outcomes().size(), summary.pages());
      assertEquals(truth.kinds(), summary.kinds());
      assertEquals(truth.depths(), summary.depths());

      Map<String, Long> fetches = server.pageFetches();
      Map<String, Long> notOnce =
          fetches.entrySet().stream()
              .filter(e -> e.getValue() != 1)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      assertEquals(Map.of(), notOnce, "pages fetched more than once");
      assertEquals(
          truth.fetched(), fetches.keySet(), "the pages fetched are the reachable, allowed ones");
      truth
          .outcomes()
          .forEach(
              (url, expected) -> {
                if (expected.kind().equals(PageResult.DISALLOWED)) {
                  assertTrue(!fetches.containsKey(url), "disallowed page fetched: " + url);
                }
              });
      server
          .maxInFlight()
          .forEach(
              (host, most) ->
                  assertTrue(
                      most <= CrawlPool.PER_HOST,
                      host + " had " + most + " requests in flight at once"));
      for (String host : site.hosts()) {
        long robots = server.robotsFetches(host);
        assertTrue(
            robots >= 1 && robots <= WORKERS,
            host + ": robots.txt fetched once per worker process at most, was " + robots);
      }
    }
  }
}
