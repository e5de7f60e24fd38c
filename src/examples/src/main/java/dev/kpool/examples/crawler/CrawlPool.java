package dev.kpool.examples.crawler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import java.util.Map;

/**
 * The supervisor configuration of a crawl pool: the crawl worker (Java or Python), its initializer
 * with the site's endpoints as {@code initargs}, and at most {@value #PER_HOST} tasks in flight per
 * key, i.e. per host, across every supervisor of the pool.
 */
public final class CrawlPool {
  /** Requests in flight per host, the pool's {@code key-concurrency}. */
  public static final int PER_HOST = 2;

  /** A request's time limit, well under the task deadline. */
  public static final long REQUEST_TIMEOUT_MILLIS = 2_000;

  /** The language of the crawl task's worker processes. */
  public enum Language {
    JAVA,
    PYTHON
  }

  private CrawlPool() {}

  /**
   * Properties of a supervisor serving pool {@code pool} with {@code workers} crawl worker
   * processes for the site at {@code endpoints}; mutable, to add or override keys.
   */
  public static Map<String, String> supervisorProperties(
      String bootstrapServers,
      String pool,
      int workers,
      Language language,
      Map<String, String> endpoints) {
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrapServers, pool, workers);
    props.put(LocalCluster.poolKey(pool, "command"), command(language));
    props.put(LocalCluster.poolKey(pool, "initializer"), CrawlWorker.INITIALIZER);
    props.put(
        LocalCluster.poolKey(pool, "initializer-args"),
        json(new CrawlSettings(endpoints, REQUEST_TIMEOUT_MILLIS)));
    props.put(LocalCluster.poolKey(pool, "key-concurrency"), Integer.toString(PER_HOST));
    return props;
  }

  private static String command(Language language) {
    return switch (language) {
      case JAVA -> LocalCluster.javaWorkerCommand(CrawlWorker.class.getName());
      case PYTHON ->
          "python3,-u," + KpoolHome.locate().root().resolve("src/python/examples/crawl_worker.py");
    };
  }

  private static String json(CrawlSettings settings) {
    try {
      return new ObjectMapper().writeValueAsString(settings);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("crawl settings do not serialize: " + settings, e);
    }
  }
}
