package dev.kpool.devbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a broker with Kafka's stock settings allows a share group, and how {@code
 * AcknowledgeType.RENEW} (KIP-1222) behaves on 4.2: the contract kpool's lanes rely on.
 */
class StockShareLockIT {
  private static final Duration LOCK = Duration.ofSeconds(15); // a stock broker's least
  private static final Duration HOLD = Duration.ofSeconds(20);
  private static EmbeddedKafkaBroker broker;
  private static Admin admin;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.builder().stockSettings().build().start();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  @Test
  void theBrokerRefusesARecordLockAboveItsStockCapOfSixtySeconds() {
    ExecutionException refused =
        assertThrows(
            ExecutionException.class,
            () -> setGroup("capped", "share.record.lock.duration.ms", "60001"));
    assertInstanceOf(InvalidConfigurationException.class, refused.getCause());
    assertTrue(
        refused.getCause().getMessage().contains("group.share.max.record.lock.duration.ms"),
        refused.getCause().getMessage());
  }

  @Test
  void recordsRenewedEveryThirdOfTheirLockStayWithTheirConsumerPastTheLockAndComeBackFromPoll()
      throws Exception {
    String topic = "renewed";
    String group = "renewed-group";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
    setGroup(group, "share.auto.offset.reset", "earliest");
    setGroup(group, "share.record.lock.duration.ms", Long.toString(LOCK.toMillis()));
    Records.produce(broker.bootstrapServers(), topic, List.of("a", "b", "c"));

    try (KafkaShareConsumer<String, String> holder = consumer(group);
        KafkaShareConsumer<String, String> other = consumer(group)) {
      holder.subscribe(List.of(topic));
      Map<Long, ConsumerRecord<String, String>> held = new TreeMap<>();
      for (int polls = 0; polls < 100 && held.size() < 3; polls++) {
        holder.poll(Duration.ofMillis(200)).forEach(record -> held.put(record.offset(), record));
      }
      assertEquals(3, held.size());
      assertEquals(Optional.of((int) LOCK.toMillis()), holder.acquisitionLockTimeoutMs());
      other.subscribe(List.of(topic));

      List<Long> takenByOther = new ArrayList<>();
      long start = System.nanoTime();
      int renewals = 0;
      while (System.nanoTime() - start < HOLD.toNanos()) {
        held.values().forEach(record -> holder.acknowledge(record, AcknowledgeType.RENEW));
        holder.commitAsync();
        ConsumerRecord<String, String> renewing = held.get(0L);
        assertThrows(
            IllegalStateException.class,
            () -> holder.acknowledge(renewing, AcknowledgeType.ACCEPT),
            "a record being renewed cannot be acknowledged until a poll returns it");
        renewals++;
        int back = 0;
        for (int polls = 0; polls < 50 && back < held.size(); polls++) {
          for (ConsumerRecord<String, String> record : holder.poll(Duration.ofMillis(200))) {
            assertTrue(held.containsKey(record.offset()), "only renewed records come back");
            assertEquals(
                Optional.of((short) 1), record.deliveryCount(), "a renewal is no redelivery");
            held.put(record.offset(), record);
            back++;
          }
        }
        assertEquals(held.size(), back, "every renewed record came back from poll");
        // a third of the lock passes between renewals, the other consumer polling all along
        long next = System.nanoTime() + LOCK.toNanos() / 3;
        while (System.nanoTime() < next) {
          for (ConsumerRecord<String, String> record : other.poll(Duration.ofMillis(200))) {
            takenByOther.add(record.offset());
            other.acknowledge(record, AcknowledgeType.ACCEPT);
          }
        }
      }
      held.values().forEach(record -> holder.acknowledge(record, AcknowledgeType.ACCEPT));
      holder
          .commitSync(Duration.ofSeconds(10))
          .values()
          .forEach(
              result ->
                  result.ifPresent(
                      e -> {
                        throw new AssertionError("accept failed after renewals", e);
                      }));
      System.out.printf(
          "stock broker: %d records held %d s past a %d s lock with %d renewals%n",
          held.size(), HOLD.toSeconds(), LOCK.toSeconds(), renewals);
      // the accepts stick: nothing comes back once the last renewed lock would have lapsed
      long after = System.nanoTime() + LOCK.plusSeconds(3).toNanos();
      while (System.nanoTime() < after) {
        for (ConsumerRecord<String, String> record : other.poll(Duration.ofMillis(200))) {
          takenByOther.add(record.offset());
          other.acknowledge(record, AcknowledgeType.ACCEPT);
        }
      }
      assertEquals(List.of(), takenByOther);
    }
  }

  private static void setGroup(String group, String key, String value) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    admin
        .incrementalAlterConfigs(
            Map.of(
                resource,
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
        .all()
        .get(10, TimeUnit.SECONDS);
  }

  private static KafkaShareConsumer<String, String> consumer(String group) {
    return new KafkaShareConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG,
            "explicit"),
        new StringDeserializer(),
        new StringDeserializer());
  }
}
