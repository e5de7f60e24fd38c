package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTooLargeException;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad input kpool must survive, each against a real supervisor and real workers: the
 * submitter gets a clear error where one can be addressed, the task gets exactly one dead letter
 * with the right reason, and a normal task submitted after it still succeeds.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BadInputIT {
  private static final String POOL = "badinput";
  private static final int MAX_TASK_BYTES = 4096;
  private static final String RAW_REPLIES = Topics.replies("raw-badinput");
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<String, String> GARBAGE =
      Task.of("garbage", String.class, String.class);
  private static final Task<Integer, Integer> HANG = Task.of("hang", Integer.class, Integer.class);
  private static final Task<String, String> ECHO = Task.of("garbage", String.class, String.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PoolFixture fixture;
  private static Path initCounters;

  @BeforeAll
  static void start(KafkaTestBroker broker) throws Exception {
    initCounters = Files.createTempDirectory("kpool-init");
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), POOL, 2);
    props.put(LocalCluster.poolKey(POOL, "max-attempts"), "2");
    props.put(LocalCluster.poolKey(POOL, "retry-backoff"), "100ms");
    props.put(LocalCluster.poolKey(POOL, "retry-backoff-max"), "200ms");
    props.put(LocalCluster.poolKey(POOL, "max-task-bytes"), Integer.toString(MAX_TASK_BYTES));
    flakyInitPool(props, "initexit", true);
    flakyInitPool(props, "initthrow", false);
    fixture = PoolFixture.start(broker.bootstrapServers(), POOL, props);
    fixture.createTopic(RAW_REPLIES);
  }

  /** A pool whose worker's first two initializations fail, by exiting or by throwing. */
  private static void flakyInitPool(Map<String, String> props, String pool, boolean exit) {
    props.put(
        LocalCluster.poolKey(pool, "command"), props.get(LocalCluster.poolKey(POOL, "command")));
    props.put(LocalCluster.poolKey(pool, "min-processes"), "1");
    props.put(LocalCluster.poolKey(pool, "max-processes"), "1");
    props.put(LocalCluster.poolKey(pool, "initializer"), "flaky-init");
    props.put(
        LocalCluster.poolKey(pool, "initializer-args"),
        "{\"counter\":\""
            + initCounters.resolve(pool)
            + "\",\"failures\":2,\"exit\":"
            + exit
            + "}");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @AfterEach
  void aNormalTaskStillSucceeds() {
    try (Pool pool = fixture.client()) {
      assertEquals(49, pool.apply(SQUARE, 7, WAIT));
    }
  }

  @Test
  void aValueThatIsNotJsonGetsAMalformedErrorAndADeadLetter() throws Exception {
    String id = sendRaw("{not json".getBytes(StandardCharsets.UTF_8), HeaderNames.TASK, "square");
    assertRefused(id, "kpool.MalformedTask", "malformed", "not valid JSON");
  }

  @Test
  void aRecordWithoutATaskHeaderIsMalformed() throws Exception {
    String id = sendRaw("3".getBytes(StandardCharsets.UTF_8));
    assertRefused(id, "kpool.MalformedTask", "malformed", "missing header kpool-task");
  }

  @Test
  void aRecordWithAWrongHeaderIsMalformed() throws Exception {
    String id =
        sendRaw(
            "3".getBytes(StandardCharsets.UTF_8),
            HeaderNames.TASK,
            "square",
            HeaderNames.ATTEMPT,
            "abc");
    assertRefused(id, "kpool.MalformedTask", "malformed", "kpool-attempt");
  }

  @Test
  void aRecordWithAGarbageBundleHeaderGetsAMalformedErrorUnderItsOwnId() throws Exception {
    String id =
        sendRaw(
            "3".getBytes(StandardCharsets.UTF_8),
            HeaderNames.TASK,
            "square",
            HeaderNames.BUNDLE,
            "x");
    assertRefused(id, "kpool.MalformedTask", "malformed", HeaderNames.BUNDLE);
  }

  @Test
  void anUnknownTaskNameFailsWithUnknownTaskAndIsDeadLettered() {
    try (Pool pool = fixture.client()) {
      var e =
          assertThrows(
              TaskFailedException.class,
              () -> pool.apply(Task.of("no-such-task", Integer.class, Integer.class), 1, WAIT));
      assertEquals("kpool.UnknownTask", e.remoteType());
      assertOneDeadLetter(e.taskId(), "unknown task");
    }
  }

  @Test
  void theClientRefusesATaskOverItsSizeLimitBeforeSendingIt() {
    int before = fixture.deadLetters().size();
    try (Pool pool = fixture.clientBuilder().maxTaskBytes(MAX_TASK_BYTES).build()) {
      var e =
          assertThrows(
              TaskTooLargeException.class, () -> pool.applyAsync(ECHO, "x".repeat(MAX_TASK_BYTES)));
      assertEquals(MAX_TASK_BYTES + 2, e.size());
      assertEquals(MAX_TASK_BYTES, e.limit());
      assertEquals(0, pool.stats().inFlight(), "nothing is outstanding");
    }
    assertEquals(before, fixture.deadLetters().size(), "nothing reached the supervisor");
  }

  @Test
  void theSupervisorRefusesATaskOverItsSizeLimitFromAnotherProducer() throws Exception {
    byte[] big = ("\"" + "x".repeat(MAX_TASK_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
    String id = sendRaw(big, HeaderNames.TASK, "garbage");
    assertRefused(id, "kpool.TaskTooLarge", "too large", "max-task-bytes");
  }

  @Test
  void aReplyToTopicThatDoesNotExistDeadLettersTheTaskAsReplyFailed() throws Exception {
    String id = UUID.randomUUID().toString();
    fixture.sendRaw(
        record(
            id,
            "3".getBytes(StandardCharsets.UTF_8),
            HeaderNames.TASK,
            "square",
            HeaderNames.REPLY_TO,
            "kpool.replies.nobody-" + id.substring(0, 8)));
    var dead = assertOneDeadLetter(id, "reply failed");
    assertTrue(PoolFixture.header(dead, HeaderNames.DLQ_ERROR).contains("kpool.ReplyFailed"));
  }

  @Test
  void garbageOnAWorkersStdoutIsACrashThatEndsInADeadLetter() {
    try (Pool pool = fixture.client()) {
      // A well-formed length prefix followed by five bytes that are not a JSON frame.
      var e =
          assertThrows(
              TaskFailedException.class,
              () -> pool.apply(GARBAGE, "\u0000\u0000\u0000\u0005hello", WAIT));
      assertEquals("kpool.WorkerCrashed", e.remoteType());
      assertTrue(e.remoteMessage().contains("protocol violation"), e.remoteMessage());
      assertEquals(
          "2",
          PoolFixture.header(assertOneDeadLetter(e.taskId(), "crashed"), HeaderNames.DLQ_ATTEMPTS));
    }
  }

  @Test
  void aFrameOverTheMaximumSizeCostsOnlyThatWorker() {
    try (Pool pool = fixture.client()) {
      var e = assertThrows(TaskFailedException.class, () -> pool.apply(GARBAGE, "\u0002abc", WAIT));
      assertTrue(e.remoteMessage().contains("over the maximum"), e.remoteMessage());
      assertOneDeadLetter(e.taskId(), "crashed");
    }
  }

  @Test
  void aWorkerThatHangsWithoutHeartbeatsIsKilledAndItsTaskDeadLettered() {
    try (Pool pool = fixture.client()) {
      var e = assertThrows(TaskFailedException.class, () -> pool.apply(HANG, 0, WAIT));
      assertTrue(e.remoteMessage().contains("no heartbeat"), e.remoteMessage());
      assertOneDeadLetter(e.taskId(), "crashed");
    }
  }

  @Test
  void aWorkerThatExitsDuringInitIsReplacedAndItsPoolServes() throws Exception {
    assertServesAfterFailedInits("initexit");
  }

  @Test
  void anInitializerThatThrowsIsRetriedAndItsPoolServes() throws Exception {
    assertServesAfterFailedInits("initthrow");
  }

  private static void assertServesAfterFailedInits(String pool) throws Exception {
    try (Pool client = Pool.builder().bootstrapServers(fixture.bootstrap).pool(pool).build()) {
      assertEquals(
          16, client.apply(SQUARE, 4, WAIT), "no task waits on a worker that cannot start");
    }
    assertTrue(
        Files.readString(initCounters.resolve(pool)).length() >= 3,
        "two failed initializations, then one that held");
    assertTrue(
        fixture.deadLetters().stream().noneMatch(r -> pool.equals(r.topic())),
        "no task was harmed");
  }

  /** Sends a task record as another producer would, replying to {@link #RAW_REPLIES}; returns its id. */
  private static String sendRaw(byte[] value, String... headers) throws Exception {
    String id = UUID.randomUUID().toString();
    String[] withReply = new String[headers.length + 2];
    System.arraycopy(headers, 0, withReply, 0, headers.length);
    withReply[headers.length] = HeaderNames.REPLY_TO;
    withReply[headers.length + 1] = RAW_REPLIES;
    fixture.sendRaw(record(id, value, withReply));
    return id;
  }

  private static ProducerRecord<String, byte[]> record(String id, byte[] value, String... headers) {
    RecordHeaders h = new RecordHeaders();
    h.add(HeaderNames.ID, id.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(Topics.tasks(POOL), null, id, value, h);
  }

  /** The submitter got an error reply of {@code type}, and the task one dead letter for {@code reason}. */
  private static void assertRefused(String id, String type, String reason, String messagePart)
      throws Exception {
    await()
        .atMost(WAIT)
        .until(() -> fixture.records(RAW_REPLIES).stream().anyMatch(r -> id.equals(r.key())));
    List<ConsumerRecord<String, byte[]>> replies =
        fixture.records(RAW_REPLIES).stream().filter(r -> id.equals(r.key())).toList();
    assertEquals(1, replies.size(), "one reply");
    JsonNode error = ProtocolJson.mapper().readTree(replies.get(0).value()).get("error");
    assertEquals(type, error.get("type").asText());
    assertTrue(error.get("message").asText().contains(messagePart), error.toString());
    assertOneDeadLetter(id, reason);
  }

  private static ConsumerRecord<String, byte[]> assertOneDeadLetter(String id, String reason) {
    await().atMost(WAIT).until(() -> !fixture.deadLettersOf(id).isEmpty());
    List<ConsumerRecord<String, byte[]>> dead = fixture.deadLettersOf(id);
    assertEquals(1, dead.size(), "exactly one dead letter");
    assertEquals(reason, PoolFixture.header(dead.get(0), HeaderNames.DLQ_REASON));
    return dead.get(0);
  }
}
