package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Bundles ({@code Pool.Builder.bundle}) through the real broker, supervisor and worker processes:
 * fewer task records, yet every task settled on its own.
 */
@FaultWorkerPool(value = "bundles", retrying = true)
class BundlesIT {
  private static final String POOL = "bundles";
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<Integer, Integer> FLAKY =
      Task.of("flaky", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PoolFixture fixture;

  private static Pool bundling() {
    // A long window, so that the tasks submitted in a loop below do share records.
    return fixture.clientBuilder().bundle(50, Duration.ofMillis(200)).build();
  }

  /** This client's records on the pool's task topic. */
  private static List<ConsumerRecord<String, byte[]>> taskRecordsOf(Pool pool) {
    return fixture.records(Topics.tasks(POOL)).stream()
        .filter(r -> pool.clientId().equals(PoolFixture.header(r, HeaderNames.CLIENT)))
        .toList();
  }

  @Test
  void bundledTasksShareRecordsYetEachGetsItsOwnResultAndOneCallback() {
    try (Pool pool = bundling()) {
      Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
      List<AsyncResult<Integer>> results =
          IntStream.range(0, 200)
              .mapToObj(
                  i ->
                      pool.applyAsync(
                          SQUARE,
                          i,
                          r ->
                              callbacks
                                  .computeIfAbsent(r, k -> new AtomicInteger())
                                  .incrementAndGet(),
                          e -> {}))
              .toList();
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i * i, results.get(i).get(WAIT));
      }
      await().atMost(WAIT).until(() -> callbacks.size() == 200);
      assertTrue(
          callbacks.values().stream().allMatch(c -> c.get() == 1),
          "one callback per task: " + callbacks);

      List<ConsumerRecord<String, byte[]>> records = taskRecordsOf(pool);
      long bundles =
          records.stream().filter(r -> r.headers().lastHeader(HeaderNames.BUNDLE) != null).count();
      int tasks =
          records.stream()
              .mapToInt(
                  r -> {
                    String count = PoolFixture.header(r, HeaderNames.BUNDLE);
                    return count == null ? 1 : Integer.parseInt(count);
                  })
              .sum();
      assertEquals(200, tasks, "every task is in exactly one record");
      assertTrue(
          bundles > 0 && records.size() <= 20,
          "200 tasks in at most 20 records, " + bundles + " of them bundles: " + records.size());
    }
  }

  @Test
  void flushSendsABundleStillInItsWindow() {
    try (Pool pool = fixture.clientBuilder().bundle(50, Duration.ofSeconds(1)).build()) {
      AsyncResult<Integer> first = pool.applyAsync(SQUARE, 5);
      AsyncResult<Integer> second = pool.applyAsync(SQUARE, 6);
      assertTrue(pool.flush(WAIT), "written");
      List<ConsumerRecord<String, byte[]>> records = taskRecordsOf(pool);
      assertEquals(1, records.size(), "one bundle on the topic as soon as flush returns");
      assertEquals("2", PoolFixture.header(records.get(0), HeaderNames.BUNDLE));
      assertEquals(25, first.get(WAIT));
      assertEquals(36, second.get(WAIT));
    }
  }

  @Test
  void aFailingTaskInABundleIsRetriedAloneAndItsBundleMatesRunOnce() {
    try (Pool pool = bundling()) {
      // flaky(n) fails until attempt n: the third is retried twice, the others succeed at once.
      List<AsyncResult<Integer>> results =
          List.of(1, 1, 3, 1, 1).stream().map(n -> pool.applyAsync(FLAKY, n)).toList();
      assertEquals(
          List.of(1, 1, 3, 1, 1),
          results.stream().map(r -> r.get(WAIT)).toList(),
          "each task's result is the attempt it succeeded on");
      assertTrue(
          taskRecordsOf(pool).stream()
              .anyMatch(r -> "5".equals(PoolFixture.header(r, HeaderNames.BUNDLE))),
          "the five went in one bundle");
      Set<String> retried =
          fixture.records(Topics.retries(POOL)).stream()
              .filter(r -> pool.clientId().equals(PoolFixture.header(r, HeaderNames.CLIENT)))
              .map(r -> PoolFixture.header(r, HeaderNames.ID))
              .collect(java.util.stream.Collectors.toSet());
      assertEquals(
          Set.of(results.get(2).taskId()), retried, "only the failing task was parked for a retry");
      assertTrue(
          fixture.records(Topics.retries(POOL)).stream()
              .noneMatch(r -> r.headers().lastHeader(HeaderNames.BUNDLE) != null),
          "a retry is a task record of its own, not its bundle");
    }
  }

  @Test
  void aKeyedPoolUnbundlesEachTaskIntoARecordOfItsOwn(KafkaTestBroker broker) throws Exception {
    String keyed = "bundles-keyed";
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), keyed, 2);
    props.put(LocalCluster.poolKey(keyed, "key-concurrency"), "2");
    try (PoolFixture pool = PoolFixture.start(broker.bootstrapServers(), keyed, props);
        Pool client = pool.clientBuilder().bundle(50, Duration.ofMillis(200)).build()) {
      List<AsyncResult<Integer>> results =
          IntStream.range(0, 10).mapToObj(i -> client.applyAsync(SQUARE, i)).toList();
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i * i, results.get(i).get(WAIT));
      }
      List<ConsumerRecord<String, byte[]>> records =
          pool.records(Topics.tasks(keyed)).stream()
              .filter(r -> client.clientId().equals(PoolFixture.header(r, HeaderNames.CLIENT)))
              .toList();
      assertTrue(
          records.stream().anyMatch(r -> r.headers().lastHeader(HeaderNames.BUNDLE) != null),
          "the client did bundle them");
      Set<String> members =
          records.stream()
              .filter(r -> r.headers().lastHeader(HeaderNames.BUNDLE) == null)
              .map(r -> PoolFixture.header(r, HeaderNames.ID))
              .collect(java.util.stream.Collectors.toSet());
      assertEquals(
          results.stream().map(AsyncResult::taskId).collect(java.util.stream.Collectors.toSet()),
          members,
          "each task was written back as a record of its own, keyed by its id: "
              + records.size()
              + " records");
    }
  }

  @Test
  void aMalformedBundleIsDeadLetteredAndEachIdThatCanBeReadIsRepliedWhy() throws Exception {
    String replies = Topics.replies("raw-bundles");
    fixture.createTopic(replies);
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.TASK, utf8("square"));
    headers.add(HeaderNames.REPLY_TO, utf8(replies));
    headers.add(HeaderNames.BUNDLE, utf8("3")); // but two members follow
    byte[] value = utf8("[{\"id\":\"raw-b1\",\"arg\":2},{\"id\":\"raw-b2\",\"arg\":3}]");
    fixture.sendRaw(new ProducerRecord<>(Topics.tasks(POOL), null, (String) null, value, headers));

    await().atMost(WAIT).until(() -> fixture.records(replies).size() >= 2);
    for (ConsumerRecord<String, byte[]> record : fixture.records(replies)) {
      Reply reply = ProtocolJson.mapper().readValue(record.value(), Reply.class);
      assertEquals(ReplyStatus.ERROR, reply.status(), reply.toString());
      assertEquals("kpool.MalformedTask", reply.error().type());
      assertTrue(reply.error().message().contains("bundle header says 3"), reply.error().message());
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                fixture.records(Topics.deadLetters(POOL)).stream()
                    .anyMatch(
                        r ->
                            "3".equals(PoolFixture.header(r, HeaderNames.BUNDLE))
                                && "malformed"
                                    .equals(PoolFixture.header(r, HeaderNames.DLQ_REASON))));
    try (Pool pool = fixture.client()) {
      assertEquals(16, pool.apply(SQUARE, 4, WAIT), "the pool serves on");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
