package dev.kpool.examples.crawler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.DocSnippets;
import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/crawler.md quotes only code that runs: the crawler's Java regions and its Python worker. */
class CrawlerDocSnippetsTest {
  private static final Path ROOT = KpoolHome.locate().root();
  private static final Path SOURCES =
      ROOT.resolve("src/examples/src/main/java/dev/kpool/examples/crawler");

  @Test
  void everyJavaBlockOfTheCrawlerPageIsARegionOfTheCrawlerSources() throws IOException {
    List<String> regions = new ArrayList<>();
    try (var files = Files.list(SOURCES)) {
      for (Path file : files.toList()) {
        regions.addAll(DocSnippets.regions(Files.readString(file)));
      }
    }
    List<String> blocks = DocSnippets.blocks(page(), "java");
    for (String code : blocks) {
      assertTrue(regions.contains(code), "not a region of the crawler's sources:\n" + code);
    }
    assertFalse(blocks.isEmpty(), "the page has Java blocks");
  }

  @Test
  void everyPythonBlockOfTheCrawlerPageIsQuotedFromTheCrawlWorker() throws IOException {
    String worker = Files.readString(ROOT.resolve("src/python/examples/crawl_worker.py"));
    List<String> blocks = DocSnippets.blocks(page(), "python");
    for (String code : blocks) {
      assertTrue(DocSnippets.quotedIn(worker, code), "not in crawl_worker.py:\n" + code);
    }
    assertFalse(blocks.isEmpty(), "the page has Python blocks");
  }

  private static String page() throws IOException {
    return Files.readString(ROOT.resolve("docs/crawler.md"));
  }
}
