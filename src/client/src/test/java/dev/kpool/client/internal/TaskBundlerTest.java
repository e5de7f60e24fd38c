package dev.kpool.client.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskBundlerTest {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<Integer, Integer> CUBE = Task.of("cube", Integer.class, Integer.class);

  private record Sent(String task, List<String> ids) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private TaskBundler bundler;

  private TaskBundler bundler(int maxTasks, Duration window) {
    bundler =
        new TaskBundler(
            "test-bundles",
            maxTasks,
            window,
            (task, members) ->
                sent.add(
                    new Sent(task.name(), members.stream().map(TaskBundler.Member::id).toList())));
    return bundler;
  }

  @AfterEach
  void close() {
    if (bundler != null) {
      bundler.close();
    }
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  @Test
  void aFullBundleGoesAtOnceOnTheCallersThread() {
    TaskBundler b = bundler(3, Duration.ofSeconds(1));
    b.add(SQUARE, "a", bytes(1), e -> {});
    b.add(SQUARE, "b", bytes(1), e -> {});
    assertEquals(List.of(), sent, "not full yet, and the window is long");
    b.add(SQUARE, "c", bytes(1), e -> {});
    assertEquals(List.of(new Sent("square", List.of("a", "b", "c"))), sent);
  }

  @Test
  void aBundleThatDoesNotFillGoesWhenItsWindowHasPassed() {
    TaskBundler b = bundler(100, Duration.ofMillis(20));
    b.add(SQUARE, "a", bytes(1), e -> {});
    b.add(SQUARE, "b", bytes(1), e -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    assertEquals(new Sent("square", List.of("a", "b")), sent.get(0));
  }

  @Test
  void eachTaskHasBundlesOfItsOwn() {
    TaskBundler b = bundler(2, Duration.ofSeconds(1));
    b.add(SQUARE, "s1", bytes(1), e -> {});
    b.add(CUBE, "c1", bytes(1), e -> {});
    b.add(CUBE, "c2", bytes(1), e -> {});
    b.add(SQUARE, "s2", bytes(1), e -> {});
    assertEquals(
        List.of(new Sent("cube", List.of("c1", "c2")), new Sent("square", List.of("s1", "s2"))),
        sent);
  }

  @Test
  void aMemberThatWouldOverflowTheBytesStartsTheNextBundle() {
    TaskBundler b = bundler(100, Duration.ofSeconds(1));
    int quarter = TaskBundler.MAX_BYTES / 4;
    for (String id : List.of("a", "b", "c", "d", "e")) {
      b.add(SQUARE, id, bytes(quarter), e -> {});
    }
    assertEquals(
        List.of(new Sent("square", List.of("a", "b", "c", "d"))), sent, "four quarters fill it");
    b.sendAll();
    assertEquals(new Sent("square", List.of("e")), sent.get(1));
    assertTrue(TaskBundler.fits(bytes(quarter)) && !TaskBundler.fits(bytes(quarter + 1)));
  }

  @Test
  void droppedBundlesAreNeverSentAndTheirIdsAreReturned() {
    TaskBundler b = bundler(100, Duration.ofMillis(20));
    b.add(SQUARE, "a", bytes(1), e -> {});
    b.add(CUBE, "b", bytes(1), e -> {});
    assertEquals(List.of("a", "b"), b.dropAll().stream().sorted().toList());
    b.sendAll();
    assertEquals(List.of(), sent, "nothing was left to send");
  }

  @Test
  void closingSendsWhatIsOpen() {
    TaskBundler b = bundler(100, Duration.ofSeconds(1));
    b.add(SQUARE, "a", bytes(1), e -> {});
    b.close();
    assertEquals(List.of(new Sent("square", List.of("a"))), sent);
  }
}
