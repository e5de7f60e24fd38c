package dev.kpool.supervisor.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ControlListenerTest {
  @Test
  void keepsReadingCancelsAfterAPollFails() throws Exception {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    TopicPartition tp = new TopicPartition(Topics.control(), 0);
    consumer.updatePartitions(
        tp.topic(), List.of(new PartitionInfo(tp.topic(), 0, null, null, null)));
    consumer.updateEndOffsets(Map.of(tp, 0L));
    List<ControlMessage> received = new CopyOnWriteArrayList<>();
    try (ControlListener listener = new ControlListener(consumer, Map.of("p", received::add))) {
      listener.start();
      consumer.schedulePollTask(
          () -> consumer.setPollException(new TopicAuthorizationException("denied")));
      byte[] cancel =
          ProtocolJson.mapper().writeValueAsBytes(ControlMessage.cancel("p", List.of("t1"), "c1"));
      consumer.schedulePollTask(
          () -> consumer.addRecord(new ConsumerRecord<>(tp.topic(), 0, 0L, "p", cancel)));

      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      assertEquals(List.of("t1"), received.get(0).taskIds());
    }
  }
}
