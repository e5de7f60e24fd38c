package dev.kpool.examples.crawler;

/**
 * One {@code <a href>} on a generated page.
 *
 * @param href the attribute as written: absolute, relative, with a fragment, an upper-case host...
 * @param target the normalized URL it leads to, or {@code null} if it leads outside the site
 */
public record SiteLink(String href, String target) {}
