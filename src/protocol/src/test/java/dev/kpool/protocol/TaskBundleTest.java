package dev.kpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBundleTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void membersSurviveEncodingWithTheirIdsEscapedAndTheirArgumentsAsTheyWere() {
    byte[] value =
        TaskBundle.encode(
            List.of(
                new TaskBundle.Member("a", utf8("1")),
                new TaskBundle.Member("quote\"and\\slash", utf8("{\"x\":[1,2]}")),
                new TaskBundle.Member("n", utf8("null"))));
    List<TaskBundle.Parsed> members = TaskBundle.decode(value, 3);
    assertEquals(
        List.of("a", "quote\"and\\slash", "n"),
        members.stream().map(TaskBundle.Parsed::id).toList());
    assertEquals(1, members.get(0).arg().asInt());
    assertEquals(2, members.get(1).arg().get("x").get(1).asInt());
    assertTrue(members.get(2).arg().isNull(), "a JSON null argument is kept, not dropped");
  }

  @Test
  void aValueThatIsNotTheStatedBundleIsRefusedSayingWhy() {
    var notJson =
        assertThrows(IllegalArgumentException.class, () -> TaskBundle.decode(utf8("[{"), 1));
    assertTrue(notJson.getMessage().contains("not valid JSON"), notJson.getMessage());
    var wrongCount =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaskBundle.decode(utf8("[{\"id\":\"a\",\"arg\":1}]"), 2));
    assertTrue(wrongCount.getMessage().contains("says 2 tasks"), wrongCount.getMessage());
    var noArg =
        assertThrows(
            IllegalArgumentException.class, () -> TaskBundle.decode(utf8("[{\"id\":\"a\"}]"), 1));
    assertTrue(noArg.getMessage().contains("member 0"), noArg.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TaskBundle.decode(utf8("[{\"id\":\" \",\"arg\":1}]"), 1));
    assertThrows(IllegalArgumentException.class, () -> TaskBundle.encode(List.of()));
  }

  @Test
  void theIdsOfABrokenBundleAreReadWhereTheyCanBe() {
    assertEquals(
        List.of("a", "c"),
        TaskBundle.readableIds(utf8("[{\"id\":\"a\"},{\"id\":7},{\"id\":\"c\",\"arg\":1},3]")));
    assertEquals(List.of(), TaskBundle.readableIds(utf8("not json")));
    assertEquals(List.of(), TaskBundle.readableIds(utf8("{\"id\":\"a\"}")));
  }

  @Test
  void theSizeEstimateCoversAnIdWithoutEscapes() {
    List<TaskBundle.Member> members =
        List.of(new TaskBundle.Member("abc", utf8("12")), new TaskBundle.Member("d", utf8("[1]")));
    assertTrue(TaskBundle.encodedSize(members) >= TaskBundle.encode(members).length);
  }
}
