package dev.kpool.examples.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, as it stands, without joining a group: for counting what Kafka holds. */
public final class TopicRecords {
  private static final Duration READ_BOUND = Duration.ofSeconds(30);

  private TopicRecords() {}

  /** Every record of every partition of {@code topic} up to its end when called. */
  public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    return readAll(bootstrap, topic, Map.of());
  }

  /**
   * As {@link #readAll(String, String)}, with extra client properties (security settings).
   *
   * @throws IllegalStateException if the end is not reached within 30 s
   */
  public static List<ConsumerRecord<String, byte[]>> readAll(
      String bootstrap, String topic, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("bootstrap.servers", bootstrap);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long until = System.nanoTime() + READ_BOUND.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within " + READ_BOUND);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
