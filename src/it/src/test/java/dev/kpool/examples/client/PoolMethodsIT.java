package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.ResultTimeoutException;
import dev.kpool.client.Task;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every Pool method through a real broker, a real supervisor and real worker processes. */
@ClusterPool("client-methods")
class PoolMethodsIT {
  static final Task<Integer, Integer> SQUARE = Task.of("square", Integer.class, Integer.class);
  static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  static final Task<List<Integer>, Integer> ADD = Task.of("add", Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The client's own record, shaped like the worker's {@code ExampleWorker.Point}. */
  record Pt(int x, int y) {}

  private static ClientCluster cluster;

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  private static List<Integer> squares(List<Integer> items) {
    return items.stream().map(x -> x * x).toList();
  }

  @Test
  void applyAsyncRunsOneTaskAndItsCallbackOnceOnTheCallbackExecutor() {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncResult<Integer> result;
    try (Pool pool = cluster.client().build()) {
      result =
          pool.applyAsync(
              SQUARE,
              7,
              r -> {
                seen.add(r);
                threads.add(Thread.currentThread().getName());
              },
              e -> seen.add(-1));
      assertEquals(49, result.get(WAIT));
      assertEquals(64, pool.apply(SQUARE, 8, WAIT));
    } // close() waits for the callback
    assertEquals(List.of(49), seen);
    assertTrue(threads.get(0).startsWith("kpool-callbacks-"), threads.get(0));
    assertTrue(result.ready() && result.successful());
    assertNotEquals(0, result.workerPid());
  }

  @Test
  void applyStopsWaitingAtItsTimeoutWhileTheTaskGoesOnToFinish() {
    try (Pool pool = cluster.client().build()) {
      AsyncResult<Long> slow = pool.applyAsync(SLEEP, 1_500L);
      assertThrows(ResultTimeoutException.class, () -> slow.get(Duration.ofMillis(100)));
      assertFalse(slow.await(Duration.ofMillis(10)));
      assertThrows(IllegalStateException.class, slow::successful, "not ready yet, as in Python");
      assertThrows(
          ResultTimeoutException.class, () -> pool.apply(SLEEP, 1_500L, Duration.ofMillis(100)));
      assertEquals(1_500L, slow.get(WAIT), "the task was not affected");
    }
  }

  @Test
  void mapReturnsResultsInInputOrderForChunkSizesThatDoNotDivideTheInput() {
    List<Integer> items = range(1_003);
    try (Pool pool = cluster.client().build()) {
      assertEquals(squares(items), pool.map(SQUARE, items, 100, WAIT));
      assertEquals(squares(items), pool.map(SQUARE, items, 7, WAIT));
      assertEquals(
          squares(items), pool.map(SQUARE, items, 2_000, WAIT), "one chunk bigger than the input");
      assertEquals(squares(items.subList(0, 50)), pool.map(SQUARE, items.subList(0, 50), 1, WAIT));
    }
  }

  @Test
  void mapAsyncGivesItsCallbackTheWholeOrderedListAndReportsProgress() {
    List<List<Integer>> delivered = new CopyOnWriteArrayList<>();
    List<long[]> progress = new CopyOnWriteArrayList<>();
    try (Pool pool = cluster.client().build()) {
      MapOptions options =
          MapOptions.DEFAULT
              .withChunksize(4)
              .withProgress((d, t) -> progress.add(new long[] {d, t}));
      AsyncResult<List<Integer>> map =
          pool.mapAsync(SQUARE, range(30), options, delivered::add, null);
      assertEquals(squares(range(30)), map.get(WAIT));
    }
    assertEquals(List.of(squares(range(30))), delivered, "one callback with the ordered list");
    assertEquals(8, progress.size(), "one report per chunk");
    long[] last = progress.get(progress.size() - 1);
    assertArrayEquals(new long[] {30, 30}, last);
  }

  @Test
  void everyMethodOfAnEmptyInputHasNoResults() {
    List<List<Integer>> delivered = new CopyOnWriteArrayList<>();
    try (Pool pool = cluster.client().build()) {
      assertEquals(List.of(), pool.map(SQUARE, List.of(), 3, WAIT));
      assertEquals(List.of(), pool.mapAsync(SQUARE, List.of(), 3, delivered::add, null).get(WAIT));
      assertEquals(List.of(), pool.starmap(ADD, List.of(), 1, WAIT));
      assertFalse(pool.imap(SQUARE, List.of(), 3).hasNext());
      assertFalse(pool.imapUnordered(SQUARE, List.of(), 3).hasNext());
      assertEquals(0, pool.stats().submitted(), "nothing was sent");
    }
    assertEquals(List.of(List.of()), delivered);
  }

  @Test
  void starmapAndStarmapAsyncUnpackArgumentTuples() {
    List<List<Integer>> pairs = List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6));
    List<List<Integer>> delivered = new CopyOnWriteArrayList<>();
    try (Pool pool = cluster.client().build()) {
      assertEquals(List.of(3, 7, 11), pool.starmap(ADD, pairs, 2, WAIT));
      assertEquals(
          List.of(3, 7, 11), pool.starmapAsync(ADD, pairs, 1, delivered::add, null).get(WAIT));
    }
    assertEquals(List.of(List.of(3, 7, 11)), delivered);
  }

  @Test
  void imapReturnsResultsInInputOrderAndKeepsItsWindow() {
    List<long[]> progress = new CopyOnWriteArrayList<>();
    Iterable<Integer> lazy = () -> IntStream.range(0, 500).boxed().iterator();
    List<Integer> results = new ArrayList<>();
    try (Pool pool = cluster.client().build()) {
      MapOptions options =
          MapOptions.DEFAULT
              .withChunksize(9)
              .withWindow(3)
              .withProgress((d, t) -> progress.add(new long[] {d, t}));
      try (ResultIterator<Integer> it = pool.imap(SQUARE, lazy, options)) {
        it.forEachRemaining(results::add);
      }
      assertTrue(pool.stats().peakInFlight() <= 3, "peak " + pool.stats().peakInFlight());
      assertEquals(56, pool.stats().submitted(), "500 items in chunks of 9");
      assertTrue(pool.join(WAIT));
    }
    assertEquals(squares(range(500)), results);
    assertArrayEquals(new long[] {500, 500}, progress.get(progress.size() - 1));
  }

  @Test
  void imapUnorderedReturnsResultsInTheOrderTheirRepliesArrived() {
    List<Long> naps = List.of(3_000L, 10L, 20L, 30L, 40L);
    try (Pool pool = cluster.client().build()) {
      List<Long> unordered = pool.imapUnordered(SLEEP, naps, 1).stream().toList();
      List<Long> arrival =
          cluster.replies(pool.clientId()).stream()
              .map(r -> naps.get(Integer.parseInt(r.id().substring(r.id().lastIndexOf(':') + 1))))
              .toList();
      assertEquals(arrival, unordered, "completion order, as the reply topic recorded it");
      assertNotEquals(3_000L, unordered.get(0), "the long nap does not hold the others back");
      assertEquals(naps, pool.imap(SLEEP, naps, 2).stream().toList(), "imap keeps input order");
    }
  }

  @Test
  void typedTasksCarryRecordsGenericListsAndRawBytes() {
    Task<Pt, Pt> mirror = Task.of("mirror", Pt.class, Pt.class);
    Task<String, List<String>> words = Task.of("words", new TypeReference<List<String>>() {});
    Task<byte[], byte[]> reverse = Task.bytes("reverse");
    Task<Map<String, Object>, Object> echo = Task.of("echo", Object.class);
    try (Pool pool = cluster.client().build()) {
      assertEquals(new Pt(2, 1), pool.apply(mirror, new Pt(1, 2), WAIT));
      assertEquals(
          List.of(new Pt(4, 3), new Pt(6, 5)),
          pool.map(mirror, List.of(new Pt(3, 4), new Pt(5, 6)), 2, WAIT));
      assertEquals(List.of("to", "be", "or"), pool.apply(words, " to be or ", WAIT));
      byte[] raw = {1, 2, (byte) 0xff, 0};
      assertArrayEquals(new byte[] {0, (byte) 0xff, 2, 1}, pool.apply(reverse, raw, WAIT));
      assertArrayEquals(
          "cba".getBytes(StandardCharsets.UTF_8),
          pool.map(reverse, List.of("abc".getBytes(StandardCharsets.UTF_8)), 1, WAIT).get(0));
      Object hostile =
          pool.apply(
              echo, Map.of("@class", "java.lang.ProcessBuilder", "command", List.of("id")), WAIT);
      assertInstanceOf(Map.class, hostile, "a class named in the data is never created");
    }
  }

  @Test
  void joinWaitsForEveryOutstandingResultAndCallbackWithoutClosing() {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    try (Pool pool = cluster.client().build()) {
      for (int i = 0; i < 20; i++) {
        pool.applyAsync(SQUARE, i, seen::add, null);
      }
      assertTrue(pool.join(WAIT));
      assertEquals(20, seen.size());
      assertEquals(0, pool.stats().inFlight());
      assertEquals(4, pool.apply(SQUARE, 2, WAIT), "still open after join");
    }
  }
}
