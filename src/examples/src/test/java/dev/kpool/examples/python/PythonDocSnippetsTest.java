package dev.kpool.examples.python;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.DocSnippets;
import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/python.md quotes only code that runs: every Python block is in one of the examples. */
class PythonDocSnippetsTest {
  private static final Path ROOT = KpoolHome.locate().root();

  @Test
  void everyPythonBlockOfThePythonPageIsQuotedFromAnExample() throws IOException {
    List<String> examples = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("src/python/examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".py")).toList()) {
        examples.add(Files.readString(file));
      }
    }
    List<String> blocks =
        DocSnippets.blocks(Files.readString(ROOT.resolve("docs/python.md")), "python");
    for (String code : blocks) {
      assertTrue(
          examples.stream().anyMatch(source -> DocSnippets.quotedIn(source, code)),
          "not in src/python/examples:\n" + code);
    }
    assertFalse(blocks.isEmpty(), "the page has Python blocks");
  }
}
