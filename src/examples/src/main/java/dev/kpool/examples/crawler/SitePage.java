package dev.kpool.examples.crawler;

import java.util.List;

/**
 * A generated page.
 *
 * @param url its normalized URL, e.g. {@code http://h3.site.test/p/17}
 * @param layer the layer it was generated in: its depth from the seed, on every path
 * @param kind how the server answers it
 * @param delayMillis how long a {@link PageKind#SLOW} page waits before answering, else 0
 * @param links its links, in page order
 */
public record SitePage(
    String url, int layer, PageKind kind, int delayMillis, List<SiteLink> links) {}
