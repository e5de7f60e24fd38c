package dev.kpool.supervisor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** How the dashboard's cancel answers when Kafka takes, refuses or ignores the request. */
class CancelResourceTest {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

  @Test
  void aWrittenRequestAnswers202() {
    Response response = CancelResource.write(producer, "crawl", "t1");

    assertEquals(202, response.getStatus());
    assertEquals(1, producer.history().size());
  }

  @Test
  void aProducerThatThrowsAnswers503WithAJsonError() {
    producer.sendException = new KafkaException("producer closed");

    Response response = CancelResource.write(producer, "crawl", "t1");

    assertEquals(503, response.getStatus());
    assertTrue(
        ((Map<?, ?>) response.getEntity()).get("error").toString().contains("producer closed"));
  }

  @Test
  void aBrokerThatDoesNotAnswerGets503WithinTheTimeout() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    Map<String, Object> props =
        CancelResource.producerProperties(Map.of("bootstrap.servers", "127.0.0.1:" + port));
    try (var dead = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();

      Response response = CancelResource.write(dead, "crawl", "t1");

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(503, response.getStatus());
      assertTrue(took.compareTo(CancelResource.WRITE_TIMEOUT.plusSeconds(2)) < 0, "took " + took);
    }
  }
}
