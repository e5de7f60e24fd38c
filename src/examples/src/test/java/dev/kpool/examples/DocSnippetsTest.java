package dev.kpool.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The docs quote only code that compiles: each Java block of a page is a region ({@code // ---
 * guide: name ---} to {@code // --- end ---}) of one of the source files it is drawn from. The
 * crawler's page, which also quotes Python, has {@code CrawlerDocSnippetsTest}.
 */
class DocSnippetsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "docs/pool-guide.md | src/examples/src/main/java/dev/kpool/examples/guide/PoolGuide.java",
        "docs/keys.md | src/examples/src/main/java/dev/kpool/examples/guide/PoolGuide.java",
        "docs/pipelines.md | src/examples/src/main/java/dev/kpool/examples/pipeline/PipelinePools.java"
            + " src/examples-service/src/main/java/dev/kpool/examples/service/IndexService.java",
      })
  void everyJavaBlockOfThePageIsARegionOfItsSources(String page, String sources)
      throws IOException {
    Path root = KpoolHome.locate().root();
    List<String> regions = new ArrayList<>();
    for (String source : sources.trim().split("\\s+")) {
      regions.addAll(DocSnippets.regions(Files.readString(root.resolve(source))));
    }
    List<String> blocks = DocSnippets.blocks(Files.readString(root.resolve(page)), "java");
    for (String code : blocks) {
      assertTrue(regions.contains(code), "not a region of " + sources + ":\n" + code);
    }
    assertFalse(blocks.isEmpty(), page + " has Java blocks");
  }
}
