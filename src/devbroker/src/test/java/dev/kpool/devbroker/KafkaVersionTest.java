package dev.kpool.devbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/** The embedded broker and the clients are one Kafka release: the one the root pom pins. */
class KafkaVersionTest {

  @Test
  void everyKafkaJarIsTheReleaseOfTheClients() throws IOException {
    String clients = AppInfoParser.getVersion();
    assertTrue(clients.startsWith("4.2."), "Kafka 4.2.x, got " + clients);
    // kafka-clients and the broker's kafka-server jar each carry this file.
    List<URL> files =
        Collections.list(
            getClass().getClassLoader().getResources("kafka/kafka-version.properties"));
    assertTrue(files.size() >= 2, "version files of clients and broker: " + files);
    for (URL file : files) {
      Properties props = new Properties();
      try (InputStream in = file.openStream()) {
        props.load(in);
      }
      assertEquals(clients, props.getProperty("version"), file.toString());
    }
  }
}
