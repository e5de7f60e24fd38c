package dev.kpool.supervisor.fault;

import static org.awaitility.Awaitility.await;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.kafka.RecordWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RetryRelayTest {
  @Test
  void relaysRetriesThatArriveAfterAPollFailed() throws Exception {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    TopicPartition tp = new TopicPartition(Topics.retries("p"), 0);
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    try (RecordWriter writer = new RecordWriter(producer, null)) {
      RetryRelay relay = new RetryRelay("p", consumer, writer, System::currentTimeMillis);
      consumer.schedulePollTask(() -> consumer.rebalance(List.of(tp)));
      consumer.schedulePollTask(
          () -> consumer.setPollException(new KafkaException("fetch failed")));
      consumer.schedulePollTask(
          () ->
              consumer.addRecord(
                  new ConsumerRecord<>(
                      tp.topic(), 0, 0L, "t1", "3".getBytes(StandardCharsets.UTF_8))));
      relay.start();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  producer.history().stream()
                      .anyMatch(r -> r.topic().equals(Topics.tasks("p")) && "t1".equals(r.key())));
      relay.stop();
      relay.await(Duration.ofSeconds(10));
    }
  }
}
