package dev.kpool.examples.crawler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A generated web site: pages on several logical host names, each host's {@code robots.txt}, and
 * what the server answers for any path. Immutable and thread-safe. The server and the truth both
 * read it; the crawler never does (it learns the site over HTTP).
 *
 * <p>Paths: the seed is {@code http://h0.site.test/}, every other page {@code /p/<n>}. {@code
 * /private/<n>} answers 200 with no links on every host (a crawler that honours robots never asks
 * the hosts that disallow it), and any other path is 404.
 *
 * @param spec what it was generated from
 * @param hosts the logical host names
 * @param pages every page by its normalized URL
 * @param disallow each host's {@code Disallow} prefixes for every user agent; a host missing here
 *     has no {@code robots.txt} (404), which allows everything
 */
public record Site(
    SiteSpec spec,
    List<String> hosts,
    Map<String, SitePage> pages,
    Map<String, List<String>> disallow) {
  /** The user agent that a {@code robots.txt} group shuts out entirely; kpool's crawler is not it. */
  static final String SHUT_OUT_AGENT = "BadBot";

  /** Generates the site of {@code spec}. */
  public static Site generate(SiteSpec spec) {
    return new SiteGenerator(spec).generate();
  }

  /** The URL a crawl starts from. */
  public String seedUrl() {
    return "http://" + hosts.get(0) + "/";
  }

  /** Whether the host's robots.txt forbids {@code path} to every user agent. */
  public boolean disallowed(String host, String path) {
    return disallow.getOrDefault(host, List.of()).stream().anyMatch(path::startsWith);
  }

  /** The host's {@code robots.txt}, if it has one. */
  public Optional<String> robotsTxt(String host) {
    List<String> prefixes = disallow.get(host);
    if (prefixes == null) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder("# robots.txt of ").append(host).append('\n');
    text.append("User-agent: ").append(SHUT_OUT_AGENT).append("\nDisallow: /\n\n");
    text.append("User-agent: *\n");
    prefixes.forEach(prefix -> text.append("Disallow: ").append(prefix).append('\n'));
    return Optional.of(text.toString());
  }

  /** What the server answers for {@code path} (query included) on {@code host}. */
  public SiteAnswer answer(String host, String path) {
    if (path.equals("/robots.txt")) {
      return robotsTxt(host)
          .map(text -> SiteAnswer.text(200, text))
          .orElseGet(() -> SiteAnswer.text(404, "no robots.txt\n"));
    }
    if (path.startsWith("/private/")) {
      return SiteAnswer.html(200, "<html><body><p>private " + path + "</p></body></html>\n", 0);
    }
    SitePage page = pages.get("http://" + host + path);
    if (page == null) {
      return SiteAnswer.html(404, "<html><body><h1>404</h1></body></html>\n", 0);
    }
    return switch (page.kind()) {
      case HANG -> SiteAnswer.never();
      case ERROR_500 -> SiteAnswer.html(500, "<html><body><h1>500</h1></body></html>\n", 0);
      case OK, SLOW -> SiteAnswer.html(200, render(page), page.delayMillis());
    };
  }

  private static String render(SitePage page) {
    StringBuilder html =
        new StringBuilder("<!doctype html>\n<html><head><title>")
            .append(page.url())
            .append("</title></head>\n<body id=\"top\">\n<h1>")
            .append(page.url())
            .append("</h1>\n<ul>\n");
    int i = 0;
    for (SiteLink link : page.links()) {
      // Vary the markup as real pages do: quoting, attribute order, case.
      String a =
          switch (i++ % 3) {
            case 0 -> "<a href=\"" + link.href() + "\">";
            case 1 -> "<A class='x' HREF='" + link.href() + "'>";
            default -> "<a title=\"link\" href=\"" + link.href() + "\" rel=\"next\">";
          };
      html.append("<li>").append(a).append("link ").append(i).append("</a></li>\n");
    }
    return html.append("</ul>\n</body></html>\n").toString();
  }
}
