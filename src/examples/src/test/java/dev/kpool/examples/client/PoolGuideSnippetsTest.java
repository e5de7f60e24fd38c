package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.DocSnippets;
import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/pool-guide.md quotes only code that compiles: each Java block is a region of PoolGuide.java.
 */
class PoolGuideSnippetsTest {

  @Test
  void everyJavaBlockOfThePoolGuideIsARegionOfPoolGuideJava() throws IOException {
    Path root = KpoolHome.locate().root();
    String guide = Files.readString(root.resolve("docs/pool-guide.md"));
    String source =
        Files.readString(
            root.resolve("src/examples/src/main/java/dev/kpool/examples/guide/PoolGuide.java"));
    List<String> regions = DocSnippets.regions(source);
    List<String> blocks = DocSnippets.blocks(guide, "java");
    for (String code : blocks) {
      assertTrue(regions.contains(code), "not a region of PoolGuide.java:\n" + code);
    }
    assertFalse(blocks.isEmpty(), "the guide has Java blocks");
  }
}
