package dev.kpool.examples.crawler;

/**
 * What the site server sends for one request.
 *
 * @param status the HTTP status; ignored when {@code hang}
 * @param contentType the body's media type
 * @param body the body
 * @param delayMillis wait this long before answering
 * @param hang never answer: hold the connection until the client closes it or the server stops
 */
public record SiteAnswer(
    int status, String contentType, String body, int delayMillis, boolean hang) {
  static SiteAnswer html(int status, String body, int delayMillis) {
    return new SiteAnswer(status, "text/html; charset=utf-8", body, delayMillis, false);
  }

  static SiteAnswer text(int status, String body) {
    return new SiteAnswer(status, "text/plain; charset=utf-8", body, 0, false);
  }

  static SiteAnswer never() {
    return new SiteAnswer(0, "", "", 0, true);
  }
}
