package dev.kpool.examples.crawler;

import dev.kpool.worker.FollowUp;
import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.TaskContext;
import dev.kpool.worker.Worker;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The crawl pool's Java worker process: initializer {@code crawl-init} takes the {@link
 * CrawlSettings}, and task {@code crawl} fetches one URL, honouring its host's robots.txt, and
 * submits every new link on the page as a follow-up {@code crawl} task with key = the link's host
 * (so the pool's {@code key-concurrency} bounds the requests in flight per host) and id = the
 * normalized URL (so the tree enqueues each URL once, however many pages link to it).
 * {@code src/python/examples/crawl_worker.py} does the same in Python.
 *
 * <p>robots.txt is checked by the task of the URL's own host, not by the page that links to it: so
 * the request for it counts against that host's limit like any other, and each worker process
 * fetches each host's robots.txt at most once.
 */
public final class CrawlWorker {
  /** The crawl task's name. */
  public static final String TASK = "crawl";

  /** The crawl pool's initializer. */
  public static final String INITIALIZER = "crawl-init";

  private volatile PageFetcher fetcher;
  private final Map<String, Robots> robots = new ConcurrentHashMap<>();

  /** The worker with {@code crawl} and {@code crawl-init} registered. */
  public static Worker worker() {
    CrawlWorker crawler = new CrawlWorker();
    // --- guide: crawl-worker ---
    return Worker.builder()
        .initializer(INITIALIZER, CrawlSettings.class, crawler::init)
        .task(TASK, CrawlRequest.class, crawler::crawl)
        .build();
    // --- end ---
  }

  void init(CrawlSettings settings) {
    fetcher = new PageFetcher(settings);
    robots.clear();
  }

  PageResult crawl(CrawlRequest request, TaskContext context) {
    PageFetcher http = fetcher;
    if (http == null) {
      throw new NonRetryableTaskException(
          new IllegalStateException("the pool has no initializer " + INITIALIZER));
    }
    URI url = URI.create(request.url());
    String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    if (!robotsOf(http, url.getHost()).allows(path)) {
      return new PageResult(request.url(), 0, request.depth(), 0, PageResult.DISALLOWED);
    }
    PageFetcher.Fetched page = http.get(url.getHost(), path);
    if (page.error() != null || page.status() != 200) {
      String kind = page.error() != null ? page.error() : PageResult.kindOf(page.status());
      return new PageResult(request.url(), page.status(), request.depth(), 0, kind);
    }
    var hrefs = Links.hrefs(page.body());
    if (request.depth() < request.maxDepth()) {
      Set<String> next = new LinkedHashSet<>();
      for (String href : hrefs) {
        Optional<String> link = Links.resolve(request.url(), href);
        if (link.isPresent()
            && http.serves(URI.create(link.get()).getHost())
            && !link.get().equals(request.seed())
            && !link.get().equals(request.url())) {
          next.add(link.get());
        }
      }
      // --- guide: crawl-follow-ups ---
      for (String link : next) {
        context.submit(
            FollowUp.of(TASK, request.next(link)).key(URI.create(link).getHost()).id(link));
      }
      // --- end ---
    }
    return new PageResult(request.url(), 200, request.depth(), hrefs.size(), null);
  }

  /** The host's rules, fetched once per process; a host without robots.txt (or an unreadable one) allows everything. */
  private Robots robotsOf(PageFetcher http, String host) {
    Robots known = robots.get(host);
    if (known != null) {
      return known;
    }
    PageFetcher.Fetched text = http.get(host, "/robots.txt");
    Robots rules =
        text.status() == 200
            ? Robots.parse(text.body(), CrawlSettings.USER_AGENT)
            : Robots.ALLOW_ALL;
    robots.put(host, rules);
    return rules;
  }

  public static void main(String[] args) {
    worker().runAndExit();
  }
}
