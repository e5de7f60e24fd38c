package dev.kpool.examples.crawler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.worker.FollowUp;
import dev.kpool.worker.TaskContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java crawl task against the real site server, one task at a time in this JVM, with the
 * follow-ups de-duplicated by id as a supervisor does: the crawl logic alone, without Kafka.
 */
class CrawlWorkerTest {
  private static final SiteSpec SMALL = new SiteSpec(11L, 250, 4, 3);

  @Test
  void crawlsASmallSiteToItsTruthFetchingEachPageOnce() throws Exception {
    Site site = Site.generate(SMALL);
    SiteTruth truth = SiteTruth.of(site, SMALL.maxDepth());
    try (SiteServer server = SiteServer.start(site)) {
      CrawlWorker worker = new CrawlWorker();
      worker.init(new CrawlSettings(server.endpoints(), 300));
      List<PageResult> results = new ArrayList<>();
      Deque<CrawlRequest> queue =
          new ArrayDeque<>(List.of(CrawlRequest.seed(site.seedUrl(), SMALL.maxDepth())));
      Set<String> ids = new HashSet<>();
      while (!queue.isEmpty()) {
        results.add(
            worker.crawl(
                queue.poll(),
                new Context(
                    f -> {
                      assertEquals(CrawlWorker.TASK, f.task());
                      CrawlRequest next = (CrawlRequest) f.args();
                      assertEquals(next.url(), f.id());
                      assertEquals(next.url().substring(7, next.url().indexOf('/', 7)), f.key());
                      if (ids.add(f.id())) {
                        queue.add(next);
                      }
                    })));
        // The server notices a timed-out request end when it reads the close; a crawl pool's next
        // task takes a Kafka round trip to start, this loop must wait for it.
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(2))
            .atMost(Duration.ofSeconds(10))
            .until(() -> server.inFlight() == 0);
      }
      assertEquals(
          truth.kinds(),
          results.stream()
              .collect(
                  Collectors.groupingBy(PageResult::kind, TreeMap::new, Collectors.counting())));
      assertEquals(
          truth.depths(),
          results.stream()
              .collect(
                  Collectors.groupingBy(PageResult::depth, TreeMap::new, Collectors.counting())));
      Map<String, Long> fetches = server.pageFetches();
      assertEquals(truth.fetched(), fetches.keySet());
      assertTrue(fetches.values().stream().allMatch(n -> n == 1), fetches.toString());
      server
          .maxInFlight()
          .forEach((host, max) -> assertEquals(1, max, host + ": one request at a time"));
      site.hosts().forEach(host -> assertEquals(1, server.robotsFetches(host), host));
    }
  }

  /** A task context that hands follow-ups to {@code sink}. */
  private record Context(java.util.function.Consumer<FollowUp> sink) implements TaskContext {
    @Override
    public String taskId() {
      return "t";
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.empty();
    }

    @Override
    public String pool() {
      return "crawl";
    }

    @Override
    public String workerName() {
      return "crawl-1";
    }

    @Override
    public void submit(FollowUp followUp) {
      sink.accept(followUp);
    }
  }
}
