package dev.kpool.examples.crawler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of one host's {@code robots.txt} for one user agent: the {@code Disallow} prefixes of
 * the group naming the agent, else of the {@code *} group. {@code Allow}, wildcards and crawl delays
 * are not supported (the generated site uses none). Immutable.
 */
final class Robots {
  /** The rules of a host without robots.txt: everything allowed. */
  static final Robots ALLOW_ALL = new Robots(List.of());

  private final List<String> disallow;

  private Robots(List<String> disallow) {
    this.disallow = List.copyOf(disallow);
  }

  /** Parses {@code text} for {@code agent} (matched case-insensitively as a substring, as robots.txt readers do). */
  static Robots parse(String text, String agent) {
    String me = agent.toLowerCase(Locale.ROOT);
    List<String> mine = new ArrayList<>();
    List<String> anyone = new ArrayList<>();
    List<String> agents = new ArrayList<>();
    boolean named = false;
    boolean inRules = false;
    for (String raw : text.split("\r?\n")) {
      String line = raw.replaceFirst("#.*", "").strip();
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (field.equals("user-agent")) {
        if (inRules) {
          agents.clear(); // a user-agent line after rules starts a new group
          inRules = false;
        }
        String group = value.toLowerCase(Locale.ROOT);
        agents.add(group);
        named |= !group.equals("*") && me.contains(group);
      } else if (field.equals("disallow")) {
        inRules = true;
        if (value.isEmpty()) {
          continue; // "Disallow:" with no path allows everything
        }
        for (String group : agents) {
          if (group.equals("*")) {
            anyone.add(value);
          } else if (me.contains(group)) {
            mine.add(value);
          }
        }
      }
    }
    return new Robots(named ? mine : anyone);
  }

  /** Whether {@code path} (query included) may be fetched. */
  boolean allows(String path) {
    return disallow.stream().noneMatch(path::startsWith);
  }
}
