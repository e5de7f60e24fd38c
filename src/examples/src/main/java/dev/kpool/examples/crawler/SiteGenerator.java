package dev.kpool.examples.crawler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds a {@link Site} from a {@link SiteSpec}, deterministically.
 *
 * <p>The shape makes the truth independent of crawl order. Pages sit in layers, and a page links
 * forward only to pages of the next layer (each page has one or two parents there), so however
 * the crawl's tasks interleave, the first link to reach a page comes from the layer above it and
 * gives it the same depth. Every other link leads where the crawl has already been or to a URL no
 * other page links to: back to the seed, to the page itself, a second spelling of a link on the
 * same page, a 404 or {@code /private/} path of its own, or outside the site.
 */
final class SiteGenerator {
  private static final double ERROR_500 = 0.03;
  private static final double HANG = 0.006;
  private static final double SLOW = 0.08;
  private static final double SECOND_PARENT = 0.3;
  private static final double MISSING_LINK = 0.15;
  private static final double PRIVATE_LINK = 0.15;
  private static final double EXTERNAL_LINK = 0.1;

  private final SiteSpec spec;
  private final Random random;
  private final List<String> hosts = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<Integer> layerOf = new ArrayList<>();
  private final List<List<Integer>> children = new ArrayList<>();

  SiteGenerator(SiteSpec spec) {
    this.spec = spec;
    this.random = new Random(spec.seed());
    for (int h = 0; h < spec.hosts(); h++) {
      hosts.add("h" + h + ".site.test");
    }
  }

  Site generate() {
    addPage(0, 0, "/");
    List<Integer> previous = List.of(0);
    int[] sizes = layerSizes();
    for (int layer = 1; layer < sizes.length; layer++) {
      List<Integer> current = new ArrayList<>();
      for (int i = 0; i < sizes[layer]; i++) {
        int id = urls.size();
        addPage(layer, random.nextInt(hosts.size()), "/p/" + id);
        current.add(id);
        int parent = previous.get(random.nextInt(previous.size()));
        children.get(parent).add(id);
        int second = previous.get(random.nextInt(previous.size()));
        if (second != parent && random.nextDouble() < SECOND_PARENT) {
          children.get(second).add(id);
        }
      }
      previous = current;
    }
    Map<String, SitePage> pages = new LinkedHashMap<>();
    for (int id = 0; id < urls.size(); id++) {
      pages.put(urls.get(id), page(id));
    }
    return new Site(spec, List.copyOf(hosts), Collections.unmodifiableMap(pages), disallowRules());
  }

  /** Layer 0 is the seed; layer d > 0 gets a share of the pages growing as d squared, the last a third of that. */
  private int[] layerSizes() {
    int layers = spec.maxDepth() + 2;
    double[] weights = new double[layers];
    double total = 0;
    for (int d = 1; d < layers; d++) {
      weights[d] = d < layers - 1 ? d * d : spec.maxDepth() * spec.maxDepth() / 3.0;
      total += weights[d];
    }
    int[] sizes = new int[layers];
    sizes[0] = 1;
    int left = spec.pages() - 1;
    for (int d = 1; d < layers; d++) {
      sizes[d] =
          d == layers - 1
              ? left
              : Math.max(1, (int) Math.round((spec.pages() - 1) * weights[d] / total));
      left -= sizes[d];
    }
    if (sizes[layers - 1] < 1) {
      throw new IllegalArgumentException("too few pages for " + layers + " layers: " + spec);
    }
    return sizes;
  }

  private void addPage(int layer, int host, String path) {
    urls.add("http://" + hosts.get(host) + path);
    layerOf.add(layer);
    children.add(new ArrayList<>());
  }

  private SitePage page(int id) {
    String url = urls.get(id);
    PageKind kind = PageKind.OK;
    int delay = 0;
    double roll = random.nextDouble();
    if (id != 0) {
      if (roll < ERROR_500) {
        kind = PageKind.ERROR_500;
      } else if (roll < ERROR_500 + HANG) {
        kind = PageKind.HANG;
      } else if (roll < ERROR_500 + HANG + SLOW) {
        kind = PageKind.SLOW;
        delay = 30 + random.nextInt(220);
      }
    }
    List<SiteLink> links = new ArrayList<>();
    for (int child : children.get(id)) {
      links.add(new SiteLink(href(url, urls.get(child)), urls.get(child)));
    }
    if (!children.get(id).isEmpty()) {
      String again = urls.get(children.get(id).get(0));
      links.add(new SiteLink(href(url, again) + "#again", again));
    }
    links.add(new SiteLink(href(url, urls.get(0)), urls.get(0)));
    links.add(new SiteLink("#top", url));
    if (random.nextDouble() < MISSING_LINK) {
      String missing = "http://" + hosts.get(random.nextInt(hosts.size())) + "/missing/" + id;
      links.add(new SiteLink(href(url, missing), missing));
    }
    if (random.nextDouble() < PRIVATE_LINK) {
      String hidden = "http://" + hosts.get(random.nextInt(hosts.size())) + "/private/" + id;
      links.add(new SiteLink(href(url, hidden), hidden));
    }
    if (random.nextDouble() < EXTERNAL_LINK) {
      links.add(new SiteLink("http://elsewhere.example/" + id, null));
      links.add(new SiteLink("mailto:webmaster@site.test", null));
    }
    Collections.shuffle(links, random);
    return new SitePage(url, layerOf.get(id), kind, delay, List.copyOf(links));
  }

  /** One way of writing a link from {@code from} to {@code to}, chosen at random among those a browser resolves alike. */
  private String href(String from, String to) {
    String fromHost = host(from);
    String toHost = host(to);
    String toPath = to.substring("http://".length() + toHost.length());
    int style = random.nextInt(4);
    if (!fromHost.equals(toHost)) {
      return switch (style) {
        case 0 -> "http://" + toHost.toUpperCase(Locale.ROOT) + toPath;
        case 1 -> "//" + toHost + toPath;
        default -> to;
      };
    }
    String fromPath = from.substring("http://".length() + fromHost.length());
    return switch (style) {
      case 0 -> to;
      case 1 -> toPath;
      case 2 -> fromPath.equals("/") ? toPath.substring(1) : "../" + toPath.substring(1);
      default ->
          fromPath.equals("/")
              ? "./" + toPath.substring(1)
              : toPath.startsWith("/p/") ? toPath.substring(3) : "../" + toPath.substring(1);
    };
  }

  private static String host(String url) {
    int start = "http://".length();
    int slash = url.indexOf('/', start);
    return url.substring(start, slash);
  }

  /** Every host but the last disallows {@code /private/}; h2 also {@code /p/7}, a prefix of /p/7, /p/70.., /p/700..; the last host has no robots.txt. */
  private Map<String, List<String>> disallowRules() {
    Map<String, List<String>> rules = new LinkedHashMap<>();
    for (int h = 0; h < hosts.size(); h++) {
      if (h == hosts.size() - 1 && hosts.size() > 1) {
        continue;
      }
      rules.put(hosts.get(h), h == 2 ? List.of("/private/", "/p/7") : List.of("/private/"));
    }
    return Collections.unmodifiableMap(rules);
  }
}
