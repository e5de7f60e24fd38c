package dev.kpool.examples.crawler;

import java.util.Map;

/**
 * The argument of the crawl pool's initializer {@code crawl-init} ({@code initargs}), the same for
 * the Java and the Python worker: where the site's hosts are and how long a request may take.
 *
 * @param endpoints each logical host name with the {@code 127.0.0.1:port} serving it; links to
 *     other hosts are outside the site and not followed
 * @param timeoutMillis a request's limit, from connect to the last byte: a page that never answers
 *     becomes a {@code timeout} well before the task's deadline
 */
public record CrawlSettings(Map<String, String> endpoints, long timeoutMillis) {
  /** The user agent the crawler announces and reads robots.txt for. */
  public static final String USER_AGENT = "kpool-crawler";
}
