package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private static KafkaPool.Settings settings(boolean durable, Map<String, Object> kafka) {
    return new KafkaPool.Settings(
        "fake:9092",
        "p",
        "c-unit",
        durable,
        10,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        null,
        1024,
        1,
        Duration.ofMillis(2),
        null,
        kafka);
  }

  @Test
  void aReplyPositionOutOfRangeRestartsFromTheEarliestReplyNotTheEnd() {
    for (boolean durable : new boolean[] {false, true}) {
      Map<String, Object> props =
          KafkaClients.replyConsumerProperties(
              Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
              settings(durable, Map.of()));
      assertEquals(
          "earliest",
          props.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
          "a reset to the end would skip replies; a reset to the start only repeats them");
    }
  }
}
