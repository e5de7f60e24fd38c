package dev.kpool.client.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.KpoolException;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.ResultTimeoutException;
import dev.kpool.client.SubmitTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import dev.kpool.client.TaskTooLargeException;
import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pool handle against Kafka's mock clients: callbacks, backpressure, outcomes, lifecycle. */
class KafkaPoolTest {
  private static final String POOL = "unit";
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MAX_TASK_BYTES = 1024;

  private final FakeKafka kafka = new FakeKafka("c-unit");
  private KafkaPool pool;

  private KafkaPool start(int maxInFlight, Duration submitTimeout, Duration closeTimeout) {
    return start(false, maxInFlight, submitTimeout, closeTimeout);
  }

  private KafkaPool start(
      boolean durable, int maxInFlight, Duration submitTimeout, Duration closeTimeout) {
    KafkaPool.Settings settings =
        new KafkaPool.Settings(
            "fake:9092",
            POOL,
            "c-unit",
            durable,
            maxInFlight,
            submitTimeout,
            closeTimeout,
            null,
            MAX_TASK_BYTES,
            1,
            Duration.ofMillis(2),
            null,
            Map.of());
    pool = KafkaPool.start(settings, kafka.clients());
    return pool;
  }

  private KafkaPool start() {
    return start(100, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private void answerSquares() {
    kafka.answer(POOL, node -> IntNode.valueOf(node.asInt() * node.asInt()));
  }

  @AfterEach
  void terminate() {
    if (pool != null) {
      pool.terminate();
    }
  }

  @Test
  void runsTheCallbackOnceWhenTheSameReplyArrivesTwice() {
    start();
    AtomicInteger callbacks = new AtomicInteger();
    AsyncResult<Integer> result =
        pool.applyAsync(
            SQUARE, 7, r -> callbacks.incrementAndGet(), e -> callbacks.incrementAndGet());
    answerSquares();
    kafka.repeatLastReply();

    assertEquals(49, result.get(WAIT));
    await().atMost(WAIT).until(() -> pool.stats().repliesRead() == 2);
    assertTrue(pool.join(WAIT));
    assertEquals(1, callbacks.get());
    assertEquals(1, pool.stats().repliesIgnored());
  }

  @Test
  void runsCallbacksAndFutureStagesOnTheCallbackExecutorNeverOnTheReplyListener() {
    start();
    List<String> threads = new CopyOnWriteArrayList<>();
    AsyncResult<Integer> result = pool.applyAsync(SQUARE, 3, r -> threads.add(name()), null);
    var stage = result.toCompletableFuture().thenApply(r -> threads.add(name()));
    answerSquares();

    assertEquals(true, stage.orTimeout(10, TimeUnit.SECONDS).join());
    await().atMost(WAIT).until(() -> threads.size() == 2);
    threads.forEach(t -> assertTrue(t.startsWith("kpool-callbacks-"), t));
  }

  @Test
  void aReplyListenerOutlivesAPositionTimeoutAndDeliversEveryLaterResult() {
    start();
    AsyncResult<Integer> before = pool.applyAsync(SQUARE, 3);
    kafka.consumer.setPollException(
        new org.apache.kafka.common.errors.TimeoutException(
            "Timeout of 60000ms expired before the position for partition could be determined"));
    await().atMost(WAIT).until(() -> kafka.consumer.pollExceptionThrown());
    answerSquares();
    AsyncResult<Integer> after = pool.applyAsync(SQUARE, 4);
    answerSquares();

    assertEquals(9, before.get(WAIT));
    assertEquals(16, after.get(WAIT));
    assertTrue(pool.join(WAIT));
  }

  @Test
  void aFatalReplyListenerErrorFailsEveryPendingHandleAndLaterSubmissions() {
    start();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AsyncResult<Integer> pending = pool.applyAsync(SQUARE, 3, null, errors::add);
    kafka.consumer.setPollException(
        new org.apache.kafka.common.errors.TopicAuthorizationException("not allowed to read"));

    var failed = assertThrows(KpoolException.class, () -> pending.get(WAIT));
    assertTrue(failed.getMessage().contains("not allowed to read"), failed.getMessage());
    assertTrue(pool.join(WAIT), "join() returns: nothing is left waiting");
    assertEquals(1, errors.size(), "the error callback ran");
    assertThrows(KpoolException.class, () -> pool.applyAsync(SQUARE, 4));
  }

  @Test
  void aFatalReplyListenerErrorLeavesADurableCallJournaledForTheNextRun() {
    start(true, 100, Duration.ofSeconds(5), Duration.ofSeconds(5));
    AsyncResult<Integer> pending = pool.applyAsync(SQUARE, 3);
    kafka.echoJournal(); // the call's submitted record, at offset 0
    org.apache.kafka.common.TopicPartition replies =
        new org.apache.kafka.common.TopicPartition(Topics.replies("c-unit"), 0);
    // read, and handled before the next poll, which fails
    await().atMost(WAIT).until(() -> kafka.consumer.position(replies) == 1);
    kafka.consumer.setPollException(
        new org.apache.kafka.common.errors.TopicAuthorizationException("not allowed to read"));

    assertThrows(KpoolException.class, () -> pending.get(WAIT));
    pool.terminate();
    assertTrue(
        kafka.consumer.commits.stream().allMatch(offset -> offset == 0L),
        "the journal floor stays below the call no reply reached: " + kafka.consumer.commits);
    assertTrue(
        kafka.sentTo(Topics.replies("c-unit")).stream()
            .noneMatch(r -> Journal.SETTLED.equals(FakeKafka.header(r, Journal.HEADER))),
        "the call is not journaled as settled");
  }

  private static String name() {
    return Thread.currentThread().getName();
  }

  @Test
  void keepsDeliveringResultsWhileACallbackBlocks() throws InterruptedException {
    start();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    pool.applyAsync(
        SQUARE,
        2,
        r -> {
          blocked.countDown();
          awaitQuietly(release);
        },
        null);
    answerSquares();
    assertTrue(blocked.await(10, TimeUnit.SECONDS));

    AsyncResult<Integer> second = pool.applyAsync(SQUARE, 5);
    answerSquares();
    assertEquals(25, second.get(WAIT), "results arrive while the callback thread is blocked");
    release.countDown();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCallbackThatThrowsDoesNotStopLaterCallbacks() {
    start();
    AtomicInteger later = new AtomicInteger();
    pool.applyAsync(
        SQUARE,
        1,
        r -> {
          throw new IllegalStateException("callback bug");
        },
        null);
    pool.applyAsync(SQUARE, 2, r -> later.incrementAndGet(), null);
    answerSquares();
    await().atMost(WAIT).until(() -> later.get() == 1);
  }

  @Test
  void submitWaitsForRoomThenFailsWithSubmitTimeoutException() {
    start(2, Duration.ofMillis(200), Duration.ofSeconds(5));
    pool.applyAsync(SQUARE, 1);
    pool.applyAsync(SQUARE, 2);

    assertThrows(SubmitTimeoutException.class, () -> pool.applyAsync(SQUARE, 3));
    assertEquals(2, pool.stats().submitted(), "the refused task was not sent");
    answerSquares();
    await().atMost(WAIT).until(() -> pool.stats().inFlight() == 0);
    AsyncResult<Integer> fourth = pool.applyAsync(SQUARE, 4);
    answerSquares();
    assertEquals(16, fourth.get(WAIT));
    assertEquals(2, pool.stats().peakInFlight());
  }

  @Test
  void getTellsTheCallersTimeoutFromTheTasksDeadlineFromAFailureFromACancellation() {
    start();
    AsyncResult<Integer> waiting = pool.applyAsync(SQUARE, 1);
    assertThrows(ResultTimeoutException.class, () -> waiting.get(Duration.ofMillis(50)));
    assertFalse(waiting.ready());
    assertThrows(IllegalStateException.class, waiting::successful);

    AsyncResult<Integer> late = pool.applyAsync(SQUARE, 2);
    AsyncResult<Integer> failed = pool.applyAsync(SQUARE, 3);
    AsyncResult<Integer> cancelled = pool.applyAsync(SQUARE, 4);
    RemoteError boom =
        new RemoteError("ValueError", "bad value", "Traceback...\nValueError: bad value", false, 0);
    kafka.reply(
        Reply.failed(
            late.taskId(),
            ReplyStatus.TIMEOUT,
            List.of(),
            RemoteError.of(RemoteError.TIMED_OUT, "killed"),
            1,
            1,
            1));
    kafka.reply(Reply.failed(failed.taskId(), ReplyStatus.ERROR, List.of(), boom, 1, 1, 1));
    kafka.reply(
        Reply.failed(
            cancelled.taskId(),
            ReplyStatus.CANCELLED,
            List.of(),
            RemoteError.of("kpool.Cancelled", "cancelled"),
            0,
            1,
            1));

    assertThrows(TaskTimeoutException.class, () -> late.get(WAIT));
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> failed.get(WAIT));
    assertEquals("ValueError", e.remoteType());
    assertEquals("bad value", e.remoteMessage());
    assertTrue(e.remoteStack().startsWith("Traceback"));
    assertEquals(-1, e.itemIndex());
    assertThrows(CancellationException.class, () -> cancelled.get(WAIT));
    assertFalse(failed.successful());
  }

  @Test
  void mapFailsWithTheFirstFailedItemAndItsPositionInTheInput() {
    start();
    List<Integer> items = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
    items.set(37, -37);
    AsyncResult<List<Integer>> map = pool.mapAsync(SQUARE, items, 10, null, null);
    kafka.answer(
        POOL,
        node -> {
          if (node.asInt() < 0) {
            throw new IllegalArgumentException("negative input: " + node.asInt());
          }
          return IntNode.valueOf(node.asInt() * node.asInt());
        });

    TaskFailedException e = assertThrows(TaskFailedException.class, () -> map.get(WAIT));
    assertEquals(37, e.itemIndex());
    assertEquals("negative input: -37", e.remoteMessage());
    assertEquals(map.taskId() + ":3", e.taskId(), "chunk 3 holds items 30 to 39");
  }

  @Test
  void mapReturnsResultsInInputOrderWithAChunkSizeThatDoesNotDivideTheInput() {
    start();
    List<Integer> items = IntStream.range(0, 23).boxed().toList();
    List<Long> progress = new CopyOnWriteArrayList<>();
    AsyncResult<List<Integer>> map =
        pool.mapAsync(
            SQUARE,
            items,
            dev.kpool.client.MapOptions.DEFAULT
                .withChunksize(5)
                .withProgress((d, t) -> progress.add(d)),
            null,
            null);
    assertEquals(5, kafka.sentTo(Topics.tasks(POOL)).size());
    answerSquares();

    assertEquals(items.stream().map(x -> x * x).toList(), map.get(WAIT));
    await().atMost(WAIT).until(() -> progress.contains(23L));
    assertEquals(5, progress.size(), "one progress report per chunk");
  }

  @Test
  void terminateCancelsOutstandingHandlesAtOnceAndAsksTheSupervisorsToCancelThem()
      throws IOException {
    start();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AsyncResult<Integer> one = pool.applyAsync(SQUARE, 1, null, errors::add);
    AsyncResult<List<Integer>> map = pool.mapAsync(SQUARE, List.of(1, 2, 3), 2, null, errors::add);

    pool.terminate();

    assertTrue(one.ready() && map.ready(), "handles fail at once");
    assertThrows(CancellationException.class, () -> one.get(Duration.ZERO.plusMillis(1)));
    assertThrows(CancellationException.class, () -> map.get(Duration.ofMillis(1)));
    assertEquals(2, errors.size());
    errors.forEach(e -> assertInstanceOf(CancellationException.class, e));
    assertTrue(kafka.ensured.contains(Topics.control()));
    List<ProducerRecord<String, byte[]>> control = kafka.sentTo(Topics.control());
    assertEquals(1, control.size());
    assertEquals(POOL, control.get(0).key());
    ControlMessage cancel =
        ProtocolJson.mapper().readValue(control.get(0).value(), ControlMessage.class);
    assertEquals(ControlMessage.Kind.CANCEL, cancel.kind());
    assertEquals(
        java.util.Set.of(one.taskId(), map.taskId() + ":0", map.taskId() + ":1"),
        java.util.Set.copyOf(cancel.taskIds()));
    assertThrows(PoolClosedException.class, () -> pool.applyAsync(SQUARE, 2));
  }

  @Test
  void closeWaitsForOutstandingResultsThenFailsTheMissingOnesWithPoolClosedException() {
    start(100, Duration.ofSeconds(5), Duration.ofMillis(300));
    AsyncResult<Integer> answered = pool.applyAsync(SQUARE, 6);
    answerSquares();
    AsyncResult<Integer> missing = pool.applyAsync(SQUARE, 7);

    pool.close();

    assertEquals(36, answered.get(Duration.ofMillis(1)));
    assertThrows(PoolClosedException.class, () -> missing.get(Duration.ofMillis(1)));
    assertThrows(PoolClosedException.class, () -> pool.applyAsync(SQUARE, 8));
    assertTrue(kafka.deleted.isEmpty(), "a reply may still come: the topic stays");
  }

  @Test
  void aClientWithARandomIdDeletesItsReplyTopicWhenItClosesCleanly() {
    start();
    AsyncResult<Integer> result = pool.applyAsync(SQUARE, 6);
    answerSquares();
    assertEquals(36, result.get(WAIT));
    pool.close();
    assertEquals(List.of(Topics.replies("c-unit")), kafka.deleted);
  }

  @Test
  void everyTaskRecordNamesItsTaskReplyTopicAndClient() {
    start();
    pool.applyAsync(SQUARE, 6);
    ProducerRecord<String, byte[]> task = kafka.sentTo(Topics.tasks(POOL)).get(0);
    assertEquals("square", FakeKafka.header(task, HeaderNames.TASK));
    assertEquals(task.key(), FakeKafka.header(task, HeaderNames.ID));
    assertEquals(Topics.replies("c-unit"), FakeKafka.header(task, HeaderNames.REPLY_TO));
    assertEquals("c-unit", FakeKafka.header(task, HeaderNames.CLIENT));
    assertEquals("6", new String(task.value(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void refusesATaskOverMaxTaskBytesBeforeSendingAnything() {
    start();
    Task<String, String> echo = Task.of("echo", String.class, String.class);
    var e =
        assertThrows(
            TaskTooLargeException.class, () -> pool.applyAsync(echo, "x".repeat(MAX_TASK_BYTES)));
    assertEquals(MAX_TASK_BYTES + 2, e.size(), "the JSON string with its quotes");
    assertEquals(MAX_TASK_BYTES, e.limit());
    assertTrue(e.getMessage().contains("maxTaskBytes"), e.getMessage());
    assertTrue(
        kafka.producer.history().stream().noneMatch(r -> r.topic().equals(Topics.tasks(POOL))),
        "no task record was sent");
    assertEquals(0, pool.stats().inFlight(), "no in-flight slot is held");
  }

  @Test
  void carriesATasksOwnRetryPolicyInTheTaskRecordHeaders() {
    start();
    pool.applyAsync(SQUARE.withRetry(5, Duration.ofMillis(200), Duration.ofSeconds(3)), 2);
    var record =
        kafka.producer.history().stream()
            .filter(r -> r.topic().equals(Topics.tasks(POOL)))
            .findFirst()
            .orElseThrow();
    assertEquals("5", header(record, HeaderNames.RETRY_MAX_ATTEMPTS));
    assertEquals("200", header(record, HeaderNames.RETRY_BACKOFF));
    assertEquals("3000", header(record, HeaderNames.RETRY_BACKOFF_MAX));
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
