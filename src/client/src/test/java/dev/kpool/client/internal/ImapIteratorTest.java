package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.client.MapOptions;
import dev.kpool.client.ResultTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** imap windowing, ordering and failure, with chunks answered by the test instead of Kafka. */
class ImapIteratorTest {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);

  private record Sent(int index, List<Integer> items, ChunkSink sink) {}

  private final List<Sent> sent = new ArrayList<>();
  private final List<long[]> progress = new CopyOnWriteArrayList<>();
  private boolean answerAtOnce;

  private ImapIterator<Integer, Integer> imap(
      Iterable<Integer> items, MapOptions options, boolean ordered, long total) {
    Callbacks inline = Callbacks.create(Runnable::run, "unit", "c-unit");
    Progress counter = new Progress((d, t) -> progress.add(new long[] {d, t}), inline, total);
    ImapIterator.ChunkSender<Integer> sender =
        (k, slice, sink) -> {
          Sent s = new Sent(k, List.copyOf(slice), sink);
          sent.add(s);
          if (answerAtOnce) {
            answer(s);
          }
        };
    return new ImapIterator<>(
            "i", SQUARE, items.iterator(), options, ordered, sender, counter, total >= 0)
        .start();
  }

  private static void answer(Sent s) {
    List<JsonNode> squares =
        s.items().stream().map(x -> (JsonNode) IntNode.valueOf(x * x)).toList();
    s.sink().chunk(s.index(), Reply.ok("i:" + s.index(), squares, 1, 1, 1));
  }

  private static List<Integer> drain(Iterator<Integer> it) {
    List<Integer> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void returnsResultsInInputOrderWhenChunksCompleteOutOfOrder() {
    var it = imap(range(10), MapOptions.DEFAULT.withChunksize(3).withWindow(4), true, 10);
    assertEquals(4, sent.size(), "the first window is submitted at once");
    List.of(3, 1, 2, 0).forEach(k -> answer(sent.get(k)));

    assertEquals(range(10).stream().map(x -> x * x).toList(), drain(it));
  }

  @Test
  void imapUnorderedReturnsChunksInCompletionOrder() {
    var it = imap(range(6), MapOptions.DEFAULT.withChunksize(2).withWindow(3), false, 6);
    answer(sent.get(2));
    answer(sent.get(0));
    assertEquals(List.of(16, 25, 0, 1), List.of(it.next(), it.next(), it.next(), it.next()));
    answer(sent.get(1));
    assertEquals(List.of(4, 9), drain(it));
  }

  @Test
  void readsTheInputLazilyAndKeepsNoMoreThanTheWindowOutstanding() {
    int[] pulled = {0};
    Iterable<Integer> counting =
        () ->
            new Iterator<>() {
              int next;

              @Override
              public boolean hasNext() {
                return next < 1_000;
              }

              @Override
              public Integer next() {
                pulled[0]++;
                return next++;
              }
            };
    answerAtOnce = true;
    var it = imap(counting, MapOptions.DEFAULT.withChunksize(10).withWindow(3), true, -1);
    assertEquals(30, pulled[0]);
    int returned = 0;
    int mostAhead = 0;
    while (it.hasNext()) {
      assertEquals(returned * returned, it.next());
      returned++;
      mostAhead = Math.max(mostAhead, pulled[0] - returned);
    }
    assertEquals(1_000, returned);
    assertTrue(mostAhead <= 3 * 10, "items read but not yet returned: " + mostAhead);
  }

  @Test
  void returnsTheResultsBeforeAFailedItemThenThrowsItAndEnds() {
    var it = imap(range(6), MapOptions.DEFAULT.withChunksize(3), true, 6);
    answer(sent.get(0));
    RemoteError error =
        new RemoteError("java.lang.IllegalArgumentException", "bad 4", "stack", false, 1);
    sent.get(1)
        .sink()
        .chunk(
            1, Reply.failed("i:1", ReplyStatus.ERROR, List.of(IntNode.valueOf(9)), error, 1, 1, 1));

    assertEquals(List.of(0, 1, 4, 9), List.of(it.next(), it.next(), it.next(), it.next()));
    TaskFailedException e = assertThrows(TaskFailedException.class, it::next);
    assertEquals(4, e.itemIndex());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }

  @Test
  void anEmptyInputHasNoResultsAndSendsNothing() {
    var it = imap(List.of(), MapOptions.DEFAULT.withChunksize(5), true, 0);
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertTrue(sent.isEmpty());
  }

  @Test
  void nextGivesUpWithResultTimeoutExceptionAndCanWaitAgain() {
    var it = imap(range(2), MapOptions.DEFAULT, true, 2);
    assertThrows(ResultTimeoutException.class, () -> it.next(Duration.ofMillis(20)));
    answer(sent.get(0));
    assertEquals(0, it.next(Duration.ofMillis(20)));
  }

  @Test
  void reportsProgressAndLearnsTheTotalWhenAnInputOfUnknownLengthEnds() {
    answerAtOnce = true;
    Iterable<Integer> unknownLength = () -> range(5).iterator();
    var it = imap(unknownLength, MapOptions.DEFAULT.withChunksize(2), true, -1);
    drain(it);
    long[] last = progress.get(progress.size() - 1);
    assertEquals(5, last[0]);
    assertEquals(5, last[1]);
    assertEquals(-1, progress.get(0)[1], "unknown until the input ended");
  }

  @Test
  void streamReturnsTheRemainingResults() {
    answerAtOnce = true;
    try (var stream = imap(range(4), MapOptions.DEFAULT.withChunksize(3), true, 4).stream()) {
      assertEquals(List.of(0, 1, 4, 9), stream.toList());
    }
  }
}
