package dev.kpool.examples.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.SubmitTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Remote failures, deadlines, duplicate replies, misbehaving callbacks and backpressure, for real.
 */
@ClusterPool("client-failures")
class PoolFailuresIT {
  private static final Task<Integer, Integer> STRICT_SQUARE =
      Task.of("strict-square", Integer.class, Integer.class);
  private static final Task<Integer, Integer> SQUARE = PoolMethodsIT.SQUARE;
  private static final Task<Long, Long> SLEEP = PoolMethodsIT.SLEEP;
  private static final Task<String, String> FAIL = Task.of("fail", String.class, String.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ClientCluster cluster;

  /** 0..99 with item 37 negative, so that strict-square raises there. */
  private static List<Integer> itemThirtySevenBad() {
    List<Integer> items = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
    items.set(37, -37);
    return items;
  }

  @Test
  void getReRaisesARemoteFailureWithItsTypeMessageAndStack() {
    try (Pool pool = cluster.client().build()) {
      AsyncResult<String> result = pool.applyAsync(FAIL, "no such user");
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> result.get(WAIT));
      assertEquals("java.lang.IllegalArgumentException", e.remoteType());
      assertTrue(e.remoteMessage().contains("no such user"), e.remoteMessage());
      assertTrue(
          e.remoteStack().contains("ExampleWorker"), "the worker's stack: " + e.remoteStack());
      assertFalse(e.retryable());
      assertFalse(result.successful());
    }
  }

  @Test
  void aMapWhoseItem37Of100FailsRaisesThatFailureForAnyChunkSize() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (Pool pool = cluster.client().build()) {
      for (int chunksize : List.of(1, 10, 30)) {
        var map =
            pool.mapAsync(
                STRICT_SQUARE, itemThirtySevenBad(), chunksize, r -> errors.add(null), errors::add);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> map.get(WAIT));
        assertEquals(37, e.itemIndex(), "chunksize " + chunksize);
        assertEquals("negative input: -37", e.remoteMessage());
      }
      assertTrue(pool.join(WAIT));
    }
    assertEquals(3, errors.size());
    errors.forEach(e -> assertInstanceOf(TaskFailedException.class, e));
  }

  @Test
  void imapReturnsTheResultsBeforeAFailedItemThenRaisesItAndEnds() {
    List<Integer> before = new ArrayList<>();
    try (Pool pool = cluster.client().build();
        ResultIterator<Integer> it = pool.imap(STRICT_SQUARE, itemThirtySevenBad(), 10)) {
      TaskFailedException e =
          assertThrows(
              TaskFailedException.class,
              () -> {
                while (it.hasNext()) {
                  before.add(it.next());
                }
              });
      assertEquals(37, e.itemIndex());
      assertFalse(it.hasNext());
    }
    assertEquals(IntStream.range(0, 37).map(x -> x * x).boxed().toList(), before);
  }

  @Test
  void aTaskPastItsDeadlineEndsWithTaskTimeoutExceptionNotAResultTimeout() {
    try (Pool pool = cluster.client().taskTimeout(Duration.ofSeconds(1)).build()) {
      AsyncResult<Long> hung = pool.applyAsync(SLEEP, 600_000L);
      TaskTimeoutException e = assertThrows(TaskTimeoutException.class, () -> hung.get(WAIT));
      assertEquals(hung.taskId(), e.taskId());
    }
    try (Pool pool = cluster.client().build()) {
      assertEquals(4, pool.apply(SQUARE, 2, WAIT), "the pool goes on with a new worker");
    }
  }

  @Test
  void callbacksRunOnceWhenADuplicateReplyRecordIsWritten() {
    AtomicInteger applyCallbacks = new AtomicInteger();
    AtomicInteger mapCallbacks = new AtomicInteger();
    try (Pool pool = cluster.client().build()) {
      AsyncResult<Integer> one =
          pool.applyAsync(
              SQUARE,
              9,
              r -> applyCallbacks.incrementAndGet(),
              e -> applyCallbacks.incrementAndGet());
      AsyncResult<List<Integer>> map =
          pool.mapAsync(
              SQUARE,
              List.of(1, 2, 3),
              2,
              r -> mapCallbacks.incrementAndGet(),
              e -> mapCallbacks.incrementAndGet());
      assertEquals(81, one.get(WAIT));
      assertEquals(List.of(1, 4, 9), map.get(WAIT));
      assertTrue(pool.join(WAIT));

      List<ConsumerRecord<String, byte[]>> replies = cluster.replyRecords(pool.clientId());
      assertEquals(3, replies.size(), "one apply and two chunks");
      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", cluster.bootstrap),
              new StringSerializer(),
              new ByteArraySerializer())) {
        for (ConsumerRecord<String, byte[]> reply : replies) {
          producer.send(
              new ProducerRecord<>(
                  reply.topic(), null, reply.key(), reply.value(), reply.headers()));
        }
      }
      await().atMost(WAIT).until(() -> pool.stats().repliesRead() == 6);
      assertTrue(pool.join(WAIT));
      assertEquals(3, pool.stats().repliesIgnored());
      assertEquals(81, one.get(Duration.ZERO.plusMillis(1)));
    }
    assertEquals(1, applyCallbacks.get());
    assertEquals(1, mapCallbacks.get());
  }

  @Test
  void aCallbackThatThrowsOrBlocksDoesNotStopOtherResultsFromArriving()
      throws InterruptedException {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger later = new AtomicInteger();
    try (Pool pool = cluster.client().build()) {
      pool.applyAsync(
          SQUARE,
          1,
          r -> {
            throw new IllegalStateException("a callback bug");
          },
          null);
      pool.applyAsync(
          SQUARE,
          2,
          r -> {
            blocking.countDown();
            awaitQuietly(release);
          },
          null);
      assertTrue(blocking.await(60, TimeUnit.SECONDS));

      List<AsyncResult<Integer>> others = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        others.add(pool.applyAsync(SQUARE, i, r -> later.incrementAndGet(), null));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(i * i, others.get(i).get(WAIT), "results arrive while a callback blocks");
      }
      assertEquals(List.of(0, 1, 4), pool.map(SQUARE, List.of(0, 1, 2), 1, WAIT));
      release.countDown();
      assertTrue(pool.join(WAIT));
    }
    assertEquals(10, later.get(), "callbacks queued behind the blocked one ran after it");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aSubmissionWaitsForRoomUnderTheInFlightBoundThenFailsClearly() {
    try (Pool pool =
        cluster.client().maxInFlight(2).submitTimeout(Duration.ofMillis(300)).build()) {
      AsyncResult<Long> first = pool.applyAsync(SLEEP, 2_000L);
      pool.applyAsync(SLEEP, 2_000L);
      SubmitTimeoutException e =
          assertThrows(SubmitTimeoutException.class, () -> pool.applyAsync(SQUARE, 3));
      assertTrue(e.getMessage().contains("2 tasks already in flight"), e.getMessage());
      assertEquals(2_000L, first.get(WAIT));
      assertEquals(9, pool.apply(SQUARE, 3, WAIT), "room again once a result came");
      assertEquals(2, pool.stats().peakInFlight());
      assertEquals(3, pool.stats().submitted());
    }
  }
}
