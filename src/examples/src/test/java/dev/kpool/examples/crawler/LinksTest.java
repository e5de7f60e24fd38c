package dev.kpool.examples.crawler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinksTest {
  @Test
  void findsHrefsQuotedEitherWayOrNotAtAllInAnyCase() {
    String html =
        "<p><a href=\"a\">1</a> <A class='x' HREF='b'>2</A> <a title=t href=c rel=n>3</a>"
            + " <abbr href=\"no\"> <a name=\"x\">4</a> <a href=\"d?x=1&amp;y=2\">5</a>";
    assertEquals(List.of("a", "b", "c", "d?x=1&y=2"), Links.hrefs(html));
  }

  @Test
  void resolvesAndNormalizesEverySpellingOfOneUrlAlike() {
    String base = "http://h1.site.test/p/5";
    for (String href :
        List.of(
            "12",
            "../p/12",
            "/p/12",
            "12#top",
            "http://H1.SITE.TEST/p/12",
            "//h1.site.test/p/12",
            "http://h1.site.test:80/p/12")) {
      assertEquals(Optional.of("http://h1.site.test/p/12"), Links.resolve(base, href), href);
    }
    assertEquals(Optional.of("http://h1.site.test/p/5"), Links.resolve(base, "#top"));
    assertEquals(Optional.of("http://h0.site.test/"), Links.resolve("http://h0.site.test/", "./"));
  }

  @Test
  void leavesOutWhatIsNotAnHttpUrl() {
    assertEquals(
        Optional.empty(), Links.resolve("http://h1.site.test/", "mailto:webmaster@site.test"));
    assertEquals(Optional.empty(), Links.resolve("http://h1.site.test/", "javascript:void(0)"));
    assertEquals(Optional.empty(), Links.resolve("http://h1.site.test/", "http://bad host/"));
  }
}
