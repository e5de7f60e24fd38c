package dev.kpool.examples.crawler;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the {@code <a href>} links of an HTML page and turns them into normalized absolute URLs. */
final class Links {
  // An <a> start tag's href, quoted either way or not at all, among other attributes, any case.
  private static final Pattern HREF =
      Pattern.compile(
          "<a\\b[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
          Pattern.CASE_INSENSITIVE);

  private Links() {}

  /** The {@code href} values of the page's {@code <a>} tags, as written, in page order. */
  static List<String> hrefs(String html) {
    List<String> hrefs = new ArrayList<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      String value = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      hrefs.add(value.replace("&amp;", "&").strip());
    }
    return hrefs;
  }

  /**
   * {@code href} resolved against {@code base} and normalized: scheme and host in lower case, no
   * default port, no fragment, an empty path as {@code /}. Empty for what is not an http(s) URL
   * ({@code mailto:}, {@code javascript:}) or does not parse.
   */
  static Optional<String> resolve(String base, String href) {
    try {
      URI uri = new URI(base).resolve(new URI(href));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return Optional.empty();
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("http") && port == 80)
              || (scheme.equals("https") && port == 443);
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return Optional.of(
          scheme
              + "://"
              + uri.getHost().toLowerCase(Locale.ROOT)
              + (defaultPort ? "" : ":" + port)
              + path
              + query);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
