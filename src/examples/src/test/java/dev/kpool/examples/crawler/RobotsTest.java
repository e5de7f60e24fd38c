package dev.kpool.examples.crawler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RobotsTest {
  private static final String TEXT =
      """
      # comment
      User-agent: BadBot
      Disallow: /

      User-agent: *
      Disallow: /private/
      Disallow: /p/7   # a prefix
      Disallow:
      """;

  @Test
  void followsTheGroupForEveryAgentWhenNoGroupNamesThisOne() {
    Robots robots = Robots.parse(TEXT, "kpool-crawler");
    assertFalse(robots.allows("/private/3"));
    assertFalse(robots.allows("/p/7"));
    assertFalse(robots.allows("/p/712"));
    assertTrue(robots.allows("/p/17"));
    assertTrue(robots.allows("/"));
  }

  @Test
  void followsOnlyTheGroupThatNamesThisAgent() {
    Robots robots = Robots.parse(TEXT, "BadBot/2.0");
    assertFalse(robots.allows("/p/17"));
    assertTrue(Robots.ALLOW_ALL.allows("/private/1"));
  }
}
