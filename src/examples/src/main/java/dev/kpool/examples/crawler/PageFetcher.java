package dev.kpool.examples.crawler;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches a path of a logical host from the endpoint the crawl settings give for it, with one time
 * limit per request. Thread-safe. Redirects are not followed (the site has none).
 */
final class PageFetcher {
  /** What one request gave: an HTTP status and body, or an error kind and status 0. */
  record Fetched(int status, String body, String error) {}

  private final Map<String, String> endpoints;
  private final Duration timeout;
  private final HttpClient http;

  PageFetcher(CrawlSettings settings) {
    this.endpoints = Map.copyOf(settings.endpoints());
    this.timeout = Duration.ofMillis(settings.timeoutMillis());
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Whether {@code host} belongs to the site. */
  boolean serves(String host) {
    return endpoints.containsKey(host);
  }

  /**
   * GETs {@code pathAndQuery} from {@code host}.
   *
   * @throws IllegalArgumentException if the host is not part of the site
   * @throws InterruptedException if interrupted while waiting
   */
  Fetched get(String host, String pathAndQuery) throws InterruptedException {
    String endpoint = endpoints.get(host);
    if (endpoint == null) {
      throw new IllegalArgumentException(host + " is not a host of the site");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + pathAndQuery))
        .timeout(timeout)
        .header("User-Agent", CrawlSettings.USER_AGENT)
        .GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Fetched(response.statusCode(), response.body(), null);
    } catch (HttpTimeoutException e) {
      return new Fetched(0, "", PageResult.TIMEOUT);
    } catch (IOException e) {
      return new Fetched(0, "", PageResult.FETCH_ERROR);
    }
  }
}
