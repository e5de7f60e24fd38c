package dev.kpool.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.devbroker.Records;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves that share groups (KIP-932) work on the test broker: the queue semantics kpool needs. */
@ExtendWith(KafkaBrokerExtension.class)
class ShareGroupIT {

  private static final int RECORDS = 2_000;
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void twoConsumersSplitOnePartitionAndAcceptEachRecordOnce(KafkaTestBroker broker)
      throws Exception {
    String topic = "share-split-" + UUID.randomUUID();
    String group = "share-split-" + UUID.randomUUID();
    createTopicStartingAtEarliest(broker, topic, group);
    List<String> values = IntStream.range(0, RECORDS).mapToObj(String::valueOf).toList();
    Records.produce(broker.bootstrapServers(), topic, values);

    Map<String, String> acceptedBy = new ConcurrentHashMap<>();
    Set<String> acceptedTwice = ConcurrentHashMap.newKeySet();
    // Each consumer holds off after its first batch until the other has records too, so the first
    // to join cannot drain the partition alone before the second is assigned.
    CountDownLatch firstReceivedA = new CountDownLatch(1);
    CountDownLatch firstReceivedB = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> a =
          threads.submit(
              () ->
                  acceptAll(
                      broker,
                      topic,
                      group,
                      "a",
                      acceptedBy,
                      acceptedTwice,
                      firstReceivedA,
                      firstReceivedB));
      Future<Integer> b =
          threads.submit(
              () ->
                  acceptAll(
                      broker,
                      topic,
                      group,
                      "b",
                      acceptedBy,
                      acceptedTwice,
                      firstReceivedB,
                      firstReceivedA));
      int countA = a.get(BOUND.toSeconds() + 10, TimeUnit.SECONDS);
      int countB = b.get(BOUND.toSeconds() + 10, TimeUnit.SECONDS);
      System.out.printf(
          "Share group on %s: consumer a accepted %d, consumer b accepted %d of %d%n",
          broker, countA, countB, RECORDS);

      assertTrue(countA > 0 && countB > 0, "a=" + countA + " b=" + countB);
      assertEquals(Set.of(), acceptedTwice);
      assertEquals(Set.copyOf(values), acceptedBy.keySet());
      assertEquals(RECORDS, countA + countB);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void releasedRecordIsDeliveredAgainWithDeliveryCountTwo(KafkaTestBroker broker) throws Exception {
    String topic = "share-release-" + UUID.randomUUID();
    String group = "share-release-" + UUID.randomUUID();
    createTopicStartingAtEarliest(broker, topic, group);
    Records.produce(broker.bootstrapServers(), topic, List.of("task"));

    List<Short> deliveryCounts = new ArrayList<>();
    try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker, group)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + BOUND.toNanos();
      for (int polls = 0; polls < 600 && deliveryCounts.size() < 2; polls++) {
        if (System.nanoTime() > deadline) {
          break;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          deliveryCounts.add(record.deliveryCount().orElseThrow());
          // First delivery goes back to the queue, as a worker giving up a task would.
          consumer.acknowledge(
              record,
              deliveryCounts.size() == 1 ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT);
        }
        assertNoAcknowledgementErrors(consumer.commitSync(Duration.ofSeconds(10)));
      }
    }
    System.out.println("Share group delivery counts of the released record: " + deliveryCounts);

    assertEquals(List.of((short) 1, (short) 2), deliveryCounts);
  }

  /** Polls, accepting every record, until all records are accepted by someone or time is up. */
  private static int acceptAll(
      KafkaTestBroker broker,
      String topic,
      String group,
      String name,
      Map<String, String> acceptedBy,
      Set<String> acceptedTwice,
      CountDownLatch mine,
      CountDownLatch other)
      throws InterruptedException {
    int accepted = 0;
    long deadline = System.nanoTime() + BOUND.toNanos();
    try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker, group)) {
      consumer.subscribe(List.of(topic));
      for (int polls = 0; polls < 2_000 && acceptedBy.size() < RECORDS; polls++) {
        if (System.nanoTime() > deadline) {
          break;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          consumer.acknowledge(record, AcknowledgeType.ACCEPT);
          accepted++;
          if (acceptedBy.putIfAbsent(record.value(), name) != null) {
            acceptedTwice.add(record.value());
          }
        }
        assertNoAcknowledgementErrors(consumer.commitSync(Duration.ofSeconds(10)));
        if (accepted > 0 && mine.getCount() > 0) {
          mine.countDown();
          other.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
      }
    }
    return accepted;
  }

  private static KafkaShareConsumer<String, String> shareConsumer(
      KafkaTestBroker broker, String group) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG,
            "explicit",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            50);
    return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** A share group starts at the latest offset unless told otherwise before its first member. */
  private static void createTopicStartingAtEarliest(
      KafkaTestBroker broker, String topic, String group) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(10, TimeUnit.SECONDS);
      ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
      AlterConfigOp earliest =
          new AlterConfigOp(
              new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
      admin
          .incrementalAlterConfigs(Map.of(groupResource, List.of(earliest)))
          .all()
          .get(10, TimeUnit.SECONDS);
    }
  }

  private static void assertNoAcknowledgementErrors(
      Map<?, Optional<KafkaException>> commitResults) {
    Collection<Optional<KafkaException>> results = commitResults.values();
    for (Optional<KafkaException> result : results) {
      result.ifPresent(
          e -> {
            throw new AssertionError("acknowledgement failed", e);
          });
    }
  }
}
