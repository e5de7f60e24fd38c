package dev.kpool.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the code blocks of a page in {@code docs/} and the regions of the sources they quote, so
 * that a test can check that the docs quote only code that compiles. A region is the lines between
 * {@code // --- guide: <name> ---} and {@code // --- end ---}, dedented.
 */
public final class DocSnippets {
  private static final Pattern REGION =
      Pattern.compile(
          "^[ \\t]*// --- guide: [\\w-]+ ---\n(.*?)^[ \\t]*// --- end ---",
          Pattern.DOTALL | Pattern.MULTILINE);

  private DocSnippets() {}

  /** The fenced blocks of {@code markdown} in {@code language}, stripped. */
  public static List<String> blocks(String markdown, String language) {
    List<String> blocks = new ArrayList<>();
    Matcher block =
        Pattern.compile("```" + language + "\n(.*?)\n```", Pattern.DOTALL).matcher(markdown);
    while (block.find()) {
      blocks.add(block.group(1).strip());
    }
    return blocks;
  }

  /** The regions of {@code source}, dedented and stripped. */
  public static List<String> regions(String source) {
    List<String> regions = new ArrayList<>();
    Matcher region = REGION.matcher(source);
    while (region.find()) {
      regions.add(dedent(region.group(1)).strip());
    }
    return regions;
  }

  /** Whether {@code code} appears in {@code source} as consecutive lines, at any indentation. */
  public static boolean quotedIn(String source, String code) {
    List<String> lines = source.lines().toList();
    List<String> want = dedent(code).strip().lines().toList();
    for (int i = 0; i + want.size() <= lines.size(); i++) {
      String window = String.join("\n", lines.subList(i, i + want.size()));
      if (dedent(window).strip().equals(String.join("\n", want))) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} with the indentation its lines share removed. */
  public static String dedent(String text) {
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
