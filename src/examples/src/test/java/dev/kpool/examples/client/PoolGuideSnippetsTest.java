package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/pool-guide.md quotes only code that compiles: each Java block is a region of PoolGuide.java.
 */
class PoolGuideSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);
  private static final Pattern REGION =
      Pattern.compile(
          "^[ \\t]*// --- guide: [\\w-]+ ---\n(.*?)^[ \\t]*// --- end ---",
          Pattern.DOTALL | Pattern.MULTILINE);

  @Test
  void everyJavaBlockOfThePoolGuideIsARegionOfPoolGuideJava() throws IOException {
    Path root = KpoolHome.locate().root();
    String guide = Files.readString(root.resolve("docs/pool-guide.md"));
    String source =
        Files.readString(
            root.resolve("src/examples/src/main/java/dev/kpool/examples/guide/PoolGuide.java"));
    List<String> regions = new ArrayList<>();
    Matcher region = REGION.matcher(source);
    while (region.find()) {
      regions.add(dedent(region.group(1)).strip());
    }
    Matcher block = JAVA_BLOCK.matcher(guide);
    int blocks = 0;
    while (block.find()) {
      blocks++;
      String code = block.group(1).strip();
      assertTrue(regions.contains(code), "not a region of PoolGuide.java:\n" + code);
    }
    assertFalse(blocks == 0, "the guide has Java blocks");
  }

  private static String dedent(String text) {
    int indent = Integer.MAX_VALUE;
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
