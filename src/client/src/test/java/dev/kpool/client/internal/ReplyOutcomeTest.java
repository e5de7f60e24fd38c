package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.KpoolException;
import dev.kpool.client.Task;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a chunk's results into the declared type. */
class ReplyOutcomeTest {
  record Point(int x, int y) {}

  private static Reply reply(String resultsArray) throws IOException {
    List<JsonNode> results = new ArrayList<>();
    ProtocolJson.mapper().readTree(resultsArray).forEach(results::add);
    return Reply.ok("call:0", results, 7, 1, 0);
  }

  @Test
  void readsEveryResultOfAChunkIntoTheDeclaredTypeInOrder() throws IOException {
    Task<Point, Point> mirror = Task.of("mirror", Point.class, Point.class);
    assertEquals(
        List.of(new Point(1, 2), new Point(3, 4)),
        ReplyOutcome.results(mirror, reply("[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]")));
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    assertEquals(Arrays.asList(1, null, 9), ReplyOutcome.results(square, reply("[1,null,9]")));
  }

  @Test
  void aResultThatDoesNotFitFailsTheChunkWithTheMessageOfThatResult() throws IOException {
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    KpoolException e =
        assertThrows(
            KpoolException.class, () -> ReplyOutcome.results(square, reply("[1,4,\"nine\"]")));
    assertTrue(e.getMessage().startsWith("result of task square is not a"), e.getMessage());
  }
}
