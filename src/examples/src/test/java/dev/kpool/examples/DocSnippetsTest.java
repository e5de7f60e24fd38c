package dev.kpool.examples;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The docs quote only code that compiles: each Java block of a page is a region ({@code // ---
 * guide: name ---} to {@code // --- end ---}) of one of the source files it is drawn from.
 */
class DocSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);
  private static final Pattern REGION =
      Pattern.compile(
          "^[ \\t]*// --- guide: [\\w-]+ ---\n(.*?)^[ \\t]*// --- end ---",
          Pattern.DOTALL | Pattern.MULTILINE);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "docs/pool-guide.md | src/examples/src/main/java/dev/kpool/examples/guide/PoolGuide.java",
        "docs/pipelines.md | src/examples/src/main/java/dev/kpool/examples/pipeline/PipelinePools.java"
            + " src/examples-service/src/main/java/dev/kpool/examples/service/IndexService.java",
      })
  void everyJavaBlockOfThePageIsARegionOfItsSources(String page, String sources)
      throws IOException {
    Path root = KpoolHome.locate().root();
    List<String> regions = new ArrayList<>();
    for (String source : sources.trim().split("\\s+")) {
      Matcher region = REGION.matcher(Files.readString(root.resolve(source)));
      while (region.find()) {
        regions.add(dedent(region.group(1)).strip());
      }
    }
    Matcher block = JAVA_BLOCK.matcher(Files.readString(root.resolve(page)));
    int blocks = 0;
    while (block.find()) {
      blocks++;
      String code = block.group(1).strip();
      assertTrue(regions.contains(code), "not a region of " + sources + ":\n" + code);
    }
    assertFalse(blocks == 0, page + " has Java blocks");
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
