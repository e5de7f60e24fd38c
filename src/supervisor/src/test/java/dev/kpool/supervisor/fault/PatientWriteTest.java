package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class PatientWriteTest {
  /** A clock that moves only when a scheduled retry is fired, by that retry's delay. */
  private long now = 1_000L;

  private final Deque<Runnable> due = new ArrayDeque<>();
  private final List<Duration> delays = new ArrayList<>();
  private final PatientWrite patient =
      new PatientWrite(
          "p",
          () -> now,
          (delay, action) -> {
            delays.add(delay);
            due.add(
                () -> {
                  now += delay.toNanos();
                  action.run();
                });
          });
  private int tries;

  /** A write that fails with {@code failures} in turn, then succeeds. */
  private Supplier<CompletableFuture<String>> failing(RuntimeException... failures) {
    return () -> {
      int i = tries++;
      return i < failures.length
          ? CompletableFuture.failedFuture(failures[i])
          : CompletableFuture.completedFuture("ok");
    };
  }

  private void fireAll() {
    while (!due.isEmpty()) {
      due.poll().run();
    }
  }

  @Test
  void aWriteThatFailsWhileKafkaIsAwayIsWrittenOnceItIsBack() {
    CompletableFuture<String> written =
        patient.write(
            "reply to task t1",
            failing(
                new TimeoutException("max.block.ms"),
                new NetworkException("down"),
                new TimeoutException("delivery")));
    assertFalse(written.isDone(), "waits, rather than failing at once");
    fireAll();
    assertEquals("ok", written.join());
    assertEquals(4, tries);
  }

  @Test
  void backsOffFrom250MillisDoublingToFiveSeconds() {
    RuntimeException[] away = new RuntimeException[10];
    Arrays.fill(away, new TimeoutException("away"));
    patient.write("w", failing(away));
    fireAll();
    assertEquals(
        List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 5_000L, 5_000L, 5_000L, 5_000L, 5_000L),
        delays.stream().map(Duration::toMillis).toList());
  }

  @Test
  void givesUpWithTheLastErrorAfterTwoMinutes() {
    CompletableFuture<String> written =
        patient.write(
            "w",
            () -> {
              tries++;
              return CompletableFuture.failedFuture(
                  new TimeoutException("still away, try " + tries));
            });
    long start = now;
    fireAll();
    CompletionException e = assertThrows(CompletionException.class, written::join);
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(e.getCause().getMessage().endsWith("try " + tries));
    long waited = now - start;
    assertTrue(waited <= PatientWrite.PATIENCE.toNanos(), "bounded: " + Duration.ofNanos(waited));
    assertTrue(
        waited > PatientWrite.PATIENCE.minus(PatientWrite.MAX_BACKOFF).toNanos(),
        "patient for nearly all of it: " + Duration.ofNanos(waited));
  }

  @Test
  void anErrorThatWaitingCannotCureFailsAtOnce() {
    CompletableFuture<String> written =
        patient.write("w", failing(new AuthorizationException("denied")));
    assertInstanceOf(
        AuthorizationException.class,
        assertThrows(CompletionException.class, written::join).getCause());
    assertTrue(due.isEmpty());
    assertEquals(1, tries);
  }

  @Test
  void aReplyTopicThatDoesNotExistFailsAtOnce() {
    CompletableFuture<String> written =
        patient.write("w", failing(new UnknownTopicOrPartitionException("gone")));
    assertTrue(written.isCompletedExceptionally());
    assertTrue(due.isEmpty());
  }

  @Test
  void aWriteThatThrowsIsTreatedAsItsFailure() {
    CompletableFuture<String> written =
        patient.write(
            "w",
            () -> {
              if (tries++ == 0) {
                throw new TimeoutException("metadata");
              }
              return CompletableFuture.completedFuture("ok");
            });
    fireAll();
    assertEquals("ok", written.join());
  }

  @Test
  void aWriteThatWorksAtOnceIsNotRetried() {
    assertEquals("ok", patient.write("w", failing()).join());
    assertTrue(delays.isEmpty());
  }
}
