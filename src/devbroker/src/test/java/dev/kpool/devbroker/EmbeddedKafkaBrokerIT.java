package dev.kpool.devbroker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

// The start-time test runs first so it measures a cold start, with no Kafka classes loaded yet.
@TestMethodOrder(OrderAnnotation.class)
class EmbeddedKafkaBrokerIT {

  private static final Duration START_BOUND = Duration.ofSeconds(10);

  @Test
  @Order(1)
  void startsWithinTenSecondsAndServesProduceAndConsume() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
      long begin = System.nanoTime();
      broker.start();
      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      System.out.println("Embedded broker started in " + took.toMillis() + " ms");
      assertTrue(took.compareTo(START_BOUND) < 0, "started in " + took);
      assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());

      Records.produce(broker.bootstrapServers(), "round-trip", List.of("hello"));

      assertEquals(
          List.of("hello"),
          Records.consume(broker.bootstrapServers(), "round-trip", 1, Duration.ofSeconds(20)));
    }
  }

  @Test
  void restartKeepsPortAndData() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
      broker.start();
      String address = broker.bootstrapServers();
      Records.produce(address, "durable", List.of("before-restart"));

      broker.stop();
      assertFalse(broker.isRunning());
      awaitNotListening(broker);
      broker.restart();

      assertTrue(broker.isRunning());
      assertEquals(address, broker.bootstrapServers());
      assertEquals(
          List.of("before-restart"),
          Records.consume(address, "durable", 1, Duration.ofSeconds(20)));
    }
  }

  @Test
  void stopAndCloseLeaveNoListeningPortAndCloseDeletesData() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
    broker.start();
    assertTrue(listening(broker));

    broker.stop();
    awaitNotListening(broker);

    broker.close();
    awaitNotListening(broker);
    assertFalse(Files.exists(broker.dataDir()), "data dir left behind: " + broker.dataDir());
    assertThrows(IllegalStateException.class, broker::start);
  }

  @Test
  void failsWithClearExceptionWhenItsPortIsTakenAndCanStillBeClosed() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      EmbeddedKafkaBroker broker =
          EmbeddedKafkaBroker.builder().port(squatter.getLocalPort()).build();

      BrokerStartException e = assertThrows(BrokerStartException.class, broker::start);

      assertTrue(e.getMessage().contains(broker.bootstrapServers()), e.getMessage());
      assertFalse(broker.isRunning());
      broker.close();
      assertFalse(Files.exists(broker.dataDir()));
    }
  }

  private static void awaitNotListening(EmbeddedKafkaBroker broker) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !listening(broker));
  }

  private static boolean listening(EmbeddedKafkaBroker broker) {
    String[] hostPort = broker.bootstrapServers().split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new AssertionError("unexpected failure probing " + broker.bootstrapServers(), e);
    }
  }
}
