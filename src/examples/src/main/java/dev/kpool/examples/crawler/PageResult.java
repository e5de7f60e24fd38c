package dev.kpool.examples.crawler;

/**
 * The result of task {@code crawl}: what one URL gave. A page that fails (500, timeout, 404,
 * disallowed) is a successful task with an error {@code kind}; a task failure is left for what the
 * crawler did not foresee.
 *
 * @param url the URL fetched
 * @param status the HTTP status, 0 if there was none (timeout, disallowed, connection error)
 * @param depth the URL's depth from the seed
 * @param links {@code <a href>} links found on the page
 * @param error {@code null} for a page that answered 200, else one of the kinds below
 */
public record PageResult(String url, int status, int depth, int links, String error) {
  /** The kind of a page that answered 200. */
  public static final String OK = "ok";

  public static final String HTTP_500 = "http_500";
  public static final String NOT_FOUND = "not_found";

  /** No answer within the crawler's request timeout. */
  public static final String TIMEOUT = "timeout";

  /** robots.txt forbids it: never requested. */
  public static final String DISALLOWED = "disallowed";

  /** The connection failed (refused, reset). */
  public static final String FETCH_ERROR = "fetch_error";

  /** {@link #error()}, or {@link #OK} for a page without one. */
  public String kind() {
    return error == null ? OK : error;
  }

  /** The kind of an answer with HTTP status {@code status}: ok, http_500, not_found or http_&lt;status&gt;. */
  public static String kindOf(int status) {
    return switch (status) {
      case 200 -> OK;
      case 500 -> HTTP_500;
      case 404 -> NOT_FOUND;
      default -> "http_" + status;
    };
  }
}
