package dev.kpool.examples.demo;

import dev.kpool.client.Pool;
import dev.kpool.examples.crawler.Crawl;
import dev.kpool.examples.crawler.CrawlPool;
import dev.kpool.examples.crawler.CrawlSummary;
import dev.kpool.examples.crawler.Site;
import dev.kpool.examples.crawler.SiteServer;
import dev.kpool.examples.crawler.SiteSpec;
import dev.kpool.examples.crawler.SiteTruth;
import dev.kpool.examples.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kpool demo crawl}: a generated site on 127.0.0.1, embedded Kafka, a supervisor with a
 * keyed crawl pool (at most two requests in flight per host), and a client that crawls the site as
 * one task tree, showing progress, then the summary checked against the site's truth.
 */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    description =
        "Crawl a generated site of slow, failing and hanging pages on a local kpool, two requests per host at most.")
final class CrawlDemoCommand implements Callable<Integer> {
  private static final String POOL = "crawl";
  private static final Duration LIMIT = Duration.ofMinutes(10);

  @Option(
      names = "--pages",
      defaultValue = "2000",
      description = "Pages of the generated site (default ${DEFAULT-VALUE}).")
  int pages;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Worker processes (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--python",
      description = "Run the crawl task in Python worker processes instead of Java ones.")
  boolean python;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this Kafka instead of starting an embedded broker.")
  String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    SiteSpec spec = SiteSpec.DEFAULT.withPages(pages);
    Site site = Site.generate(spec);
    SiteTruth truth = SiteTruth.of(site, spec.maxDepth());
    CrawlPool.Language language = python ? CrawlPool.Language.PYTHON : CrawlPool.Language.JAVA;
    Path log = Path.of("target", "kpool-demo-crawl-supervisor.log").toAbsolutePath();
    boolean right;
    try (SiteServer server = SiteServer.start(site)) {
      System.out.printf(
          "site: %d pages on %s, seed %s%n",
          site.pages().size(), server.endpoints(), site.seedUrl());
      System.out.printf(
          "starting %s Kafka and a supervisor with %d %s crawl workers (log: %s)%n",
          bootstrapServers == null ? "an embedded" : "external",
          workers,
          language.name().toLowerCase(),
          log);
      try (LocalCluster cluster =
              LocalCluster.start(
                  bootstrapServers,
                  bootstrap ->
                      CrawlPool.supervisorProperties(
                          bootstrap, POOL, workers, language, server.endpoints()),
                  log);
          Pool pool =
              Pool.builder().bootstrapServers(cluster.bootstrapServers()).pool(POOL).build()) {
        Crawl crawl = Crawl.start(pool, site.seedUrl(), spec.maxDepth());
        showProgress(crawl);
        CrawlSummary summary =
            crawl.done() ? crawl.await(Duration.ofSeconds(1)) : crawl.summarySoFar();
        System.out.printf("%n%s%n", summary.describe());
        right = report(summary, truth, server);
      }
    }
    long left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    System.out.printf("stopped; child processes left: %d%n", left);
    return right && left == 0 ? 0 : 1;
  }

  private static void showProgress(Crawl crawl) {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (!crawl.done() && System.nanoTime() < end) {
      draw(crawl);
      try {
        Thread.sleep(250); // a redraw interval, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    draw(crawl);
    System.out.println();
  }

  private static void draw(Crawl crawl) {
    double seconds = Math.max(1e-3, crawl.seconds());
    System.out.printf(
        "\rcrawling: %5d done / %5d known   errors %4d   %4.0f pages/s   %5.1f s ",
        crawl.pagesDone(),
        crawl.pagesKnown(),
        crawl.errors(),
        crawl.pagesDone() / seconds,
        seconds);
    System.out.flush();
  }

  /** Prints how the crawl compares with the site's truth and the server's counts; true if all agree. */
  private static boolean report(CrawlSummary summary, SiteTruth truth, SiteServer server) {
    boolean kinds = summary.kinds().equals(truth.kinds());
    boolean depths = summary.depths().equals(truth.depths());
    Map<String, Long> fetches = server.pageFetches();
    boolean once =
        fetches.keySet().equals(truth.fetched()) && fetches.values().stream().allMatch(n -> n == 1);
    int maxInFlight =
        server.maxInFlight().values().stream().mapToInt(Integer::intValue).max().orElse(0);
    System.out.printf(
        "truth: kinds %s, depths %s, each allowed page fetched once %s, most requests in flight per host %d (limit %d)%n",
        kinds ? "match" : "DIFFER " + truth.kinds(),
        depths ? "match" : "DIFFER " + truth.depths(),
        once ? "yes" : "NO",
        maxInFlight,
        CrawlPool.PER_HOST);
    return kinds
        && depths
        && once
        && maxInFlight <= CrawlPool.PER_HOST
        && summary.failedTasks() == 0;
  }
}
