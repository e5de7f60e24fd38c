package dev.kpool.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON and byte codecs of task descriptors, and what they refuse to do. */
class TaskTest {
  record Point(int x, int y) {}

  record Named(String name) {}

  private static JsonNode json(String text) throws IOException {
    return ProtocolJson.mapper().readTree(text);
  }

  @Test
  void readsRecordsListsMapsAndPrimitivesIntoTheDeclaredTypes() throws IOException {
    assertEquals(
        new Point(2, 1),
        Task.of("mirror", Point.class, Point.class).decode(json("{\"x\":2,\"y\":1}")));
    Task<String, List<String>> words = Task.of("words", new TypeReference<List<String>>() {});
    assertEquals(List.of("a", "b"), words.decode(json("[\"a\",\"b\"]")));
    Task<String, Map<String, Integer>> counts =
        Task.of("count", new TypeReference<Map<String, Integer>>() {});
    assertEquals(Map.of("a", 2), counts.decode(json("{\"a\":2}")));
    assertEquals(49, Task.of("square", Integer.class, Integer.class).decode(json("49")));
    assertEquals(true, Task.of("odd", Boolean.class).decode(json("true")));
  }

  @Test
  void writesArgumentsAsJson() {
    Task<Point, Point> mirror = Task.of("mirror", Point.class, Point.class);
    assertEquals(
        "{\"x\":1,\"y\":2}", new String(mirror.encode(new Point(1, 2)), StandardCharsets.UTF_8));
    Task<List<Integer>, Integer> add = Task.of("add", Integer.class);
    assertEquals("[1,2]", new String(add.encode(List.of(1, 2)), StandardCharsets.UTF_8));
  }

  @Test
  void neverCreatesAClassThatTheDataNames() throws IOException {
    JsonNode hostile =
        json("{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"touch\",\"/tmp/x\"]}");
    Object plain = Task.of("echo", Object.class).decode(hostile);
    assertInstanceOf(Map.class, plain);
    assertEquals("java.lang.ProcessBuilder", ((Map<?, ?>) plain).get("@class"));

    Object wrapped = Task.of("echo", Object.class).decode(json("[\"java.io.File\",\"/tmp\"]"));
    assertEquals(List.of("java.io.File", "/tmp"), wrapped);

    Named named =
        Task.of("echo", Named.class).decode(json("{\"@class\":\"java.io.File\",\"name\":\"n\"}"));
    assertEquals(new Named("n"), named);
  }

  @Test
  void passesBytesUntouched() {
    Task<byte[], byte[]> reverse = Task.bytes("reverse");
    byte[] raw = {0, (byte) 0xff, 7};
    assertSame(raw, reverse.encode(raw));
    TextNode base64 = TextNode.valueOf(Base64.getEncoder().encodeToString(raw));
    assertArrayEquals(raw, reverse.decode(base64));
  }

  @Test
  void refusesAResultThatDoesNotFitTheDeclaredType() {
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    KpoolException e =
        assertThrows(KpoolException.class, () -> square.decode(TextNode.valueOf("many")));
    assertEquals(true, e.getMessage().startsWith("result of task square is not a"));
  }

  @Test
  void mapOptionsNameTheSettingTheyRefuse() {
    var e = assertThrows(IllegalArgumentException.class, () -> MapOptions.DEFAULT.withChunksize(0));
    assertEquals("chunksize must be at least 1: 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MapOptions.DEFAULT.withWindow(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> MapOptions.DEFAULT.withItemTimeout(java.time.Duration.ZERO));
  }

  @Test
  void aKeySurvivesRetryPoliciesAndPipelineStages() {
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    Task<Integer, Integer> keyed = square.keyedBy(x -> "k" + x);

    assertEquals(null, square.keyOf(3));
    assertEquals("k3", keyed.keyOf(3));
    assertEquals("k3", keyed.withRetry(2, Duration.ZERO, Duration.ZERO).keyOf(3));
    assertEquals("k3", keyed.then("next", Task.of("str", String.class)).keyOf(3));
    assertEquals("fixed", square.withKey("fixed").keyOf(3));
    assertEquals(false, square.keyed());
    assertEquals(true, keyed.keyed());
    assertThrows(NullPointerException.class, () -> square.withKey(null));
  }
}
