package dev.kpool.examples.crawler;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fetches a path of a logical host from the endpoint the crawl settings give for it, with a time
 * limit on connecting and on each read (a page that never answers times out after one limit).
 * Thread-safe. Redirects are not followed (the site has none).
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: its {@code
 * disconnect()} closes the socket before {@link #get} returns, so a request that timed out is over,
 * for the server too, before the task reports it, and the next request to that host cannot overlap
 * it. The client's own timeout cancels and closes asynchronously.
 */
final class PageFetcher {
  /** What one request gave: an HTTP status and body, or an error kind and status 0. */
  record Fetched(int status, String body, String error) {}

  private final Map<String, String> endpoints;
  private final int timeoutMillis;

  PageFetcher(CrawlSettings settings) {
    this.endpoints = Map.copyOf(settings.endpoints());
    this.timeoutMillis = Math.toIntExact(settings.timeoutMillis());
  }

  /** Whether {@code host} belongs to the site. */
  boolean serves(String host) {
    return endpoints.containsKey(host);
  }

  /**
   * GETs {@code pathAndQuery} from {@code host}.
   *
   * @throws IllegalArgumentException if the host is not part of the site
   */
  Fetched get(String host, String pathAndQuery) {
    String endpoint = endpoints.get(host);
    if (endpoint == null) {
      throw new IllegalArgumentException(host + " is not a host of the site");
    }
    HttpURLConnection connection = null;
    try {
      // No proxy: the site is on loopback, whatever the JVM's proxy settings say.
      connection =
          (HttpURLConnection)
              URI.create("http://" + endpoint + pathAndQuery)
                  .toURL()
                  .openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("User-Agent", CrawlSettings.USER_AGENT);
      int status = connection.getResponseCode();
      InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String text = body == null ? "" : readAll(body);
      return new Fetched(status, text, null);
    } catch (SocketTimeoutException e) {
      return new Fetched(0, "", PageResult.TIMEOUT);
    } catch (IOException e) {
      return new Fetched(0, "", PageResult.FETCH_ERROR);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static String readAll(InputStream body) throws IOException {
    try (body) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
