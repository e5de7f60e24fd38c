package dev.kpool.supervisor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Setting up a pool on a broker with Kafka's stock settings. */
class PoolTopicsIT {
  private static EmbeddedKafkaBroker broker;
  private static Map<String, Object> client;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.builder().stockSettings().build().start();
    client = Map.of("bootstrap.servers", broker.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void theDefaultRecordLockIsAcceptedByAStockBroker() throws Exception {
    PoolTopics.ensure(client, "stock", 2, Duration.ofSeconds(20));
    try (Admin admin = Admin.create(client)) {
      ConfigResource group =
          new ConfigResource(ConfigResource.Type.GROUP, Topics.shareGroup("stock"));
      var config = admin.describeConfigs(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
      assertEquals("20000", config.get("share.record.lock.duration.ms").value());
    }
  }

  @Test
  void aLockTheBrokerRefusesStopsTheSetUpNamingTheBrokerSettingToChange() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> PoolTopics.ensure(client, "long", 2, Duration.ofMinutes(10)));
    String message = refused.getMessage();
    assertTrue(message.contains("group.share.max.record.lock.duration.ms"), message);
    assertTrue(message.contains("kpool.pools.long.record-lock"), message);
    assertTrue(message.contains("share.record.lock.duration.ms=600000"), message);
  }
}
