package dev.kpool.examples.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.Task;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** close, join and terminate against a real supervisor, which stops cancelled tasks. */
@ClusterPool("client-lifecycle")
class PoolLifecycleIT {
  private static final Task<Integer, Integer> SQUARE = PoolMethodsIT.SQUARE;
  private static final Task<Long, Long> SLEEP = PoolMethodsIT.SLEEP;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ClientCluster cluster;

  @Test
  void closeStopsNewSubmissionsAndWaitsForEveryOutstandingResultAndCallback() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<AsyncResult<Long>> handles = new ArrayList<>();
    Pool pool = cluster.client().build();
    try (pool) {
      for (long nap : List.of(800L, 600L, 10L, 20L)) {
        handles.add(pool.applyAsync(SLEEP, nap, seen::add, null));
      }
    }
    handles.forEach(h -> assertTrue(h.ready() && h.successful()));
    assertEquals(
        Set.of(800L, 600L, 10L, 20L), Set.copyOf(seen), "every callback ran before close returned");
    assertThrows(PoolClosedException.class, () -> pool.applyAsync(SQUARE, 1));
    assertThrows(PoolClosedException.class, () -> pool.imap(SQUARE, List.of(1), 1));
    assertTrue(pool.join(Duration.ofMillis(1)), "nothing outstanding after close");
  }

  @Test
  void closeGivesUpAfterItsTimeoutAndFailsWhatIsStillMissing() {
    AsyncResult<Long> slow;
    try (Pool pool = cluster.client().closeTimeout(Duration.ofMillis(300)).build()) {
      slow = pool.applyAsync(SLEEP, 3_000L);
    }
    assertThrows(PoolClosedException.class, () -> slow.get(Duration.ofMillis(1)));
  }

  @Test
  void terminateCancelsEveryUnfinishedTaskAndTheSupervisorStopsTheRunningOnes() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<AsyncResult<Long>> handles = new ArrayList<>();
    Pool pool = cluster.client().build();
    String clientId = pool.clientId();
    for (int i = 0; i < 6; i++) {
      handles.add(pool.applyAsync(SLEEP, 120_000L, r -> errors.add(null), errors::add));
    }
    ResultIterator<Long> imap = pool.imap(SLEEP, List.of(120_000L, 120_000L), 1);
    await().atMost(WAIT).until(() -> cluster.busyWorkers() == 2);

    pool.terminate();

    for (AsyncResult<Long> handle : handles) {
      assertTrue(handle.ready(), "failed at once, not when the supervisor answers");
      assertThrows(CancellationException.class, () -> handle.get(Duration.ofMillis(1)));
    }
    assertThrows(CancellationException.class, imap::next);
    assertEquals(6, errors.size(), "every error callback ran once");
    errors.forEach(e -> assertInstanceOf(CancellationException.class, e));

    Set<String> ids = handles.stream().map(AsyncResult::taskId).collect(Collectors.toSet());
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> repliesById(clientId).keySet().containsAll(ids));
    Map<String, Reply> replies = repliesById(clientId);
    ids.forEach(id -> assertEquals(ReplyStatus.CANCELLED, replies.get(id).status(), id));
    long ran = ids.stream().filter(id -> replies.get(id).pid() != 0).count();
    assertTrue(ran <= 2, "only the two running tasks had a worker; " + ran + " did");
    try (Pool next = cluster.client().build()) {
      assertEquals(
          4, next.apply(SQUARE, 2, WAIT), "the workers are free: the running sleeps were stopped");
    }
  }

  private static Map<String, Reply> repliesById(String clientId) {
    return cluster.replies(clientId).stream()
        .collect(Collectors.toMap(Reply::id, Function.identity(), (a, b) -> a));
  }

  @Test
  void terminateAfterEverythingFinishedCancelsNothingAndIsIdempotent() {
    Pool pool = cluster.client().build();
    assertEquals(9, pool.apply(SQUARE, 3, WAIT));
    pool.terminate();
    pool.terminate();
    pool.close();
    assertThrows(PoolClosedException.class, () -> pool.applyAsync(SQUARE, 1));
  }
}
