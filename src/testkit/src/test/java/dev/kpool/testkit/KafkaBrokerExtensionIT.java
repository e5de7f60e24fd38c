package dev.kpool.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.devbroker.Records;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionIT {

  static KafkaTestBroker staticBroker;
  KafkaTestBroker instanceBroker;

  @Test
  void injectsOneSharedBrokerIntoFieldsAndParameters(KafkaTestBroker parameter) throws Exception {
    assertSame(staticBroker, parameter);
    assertSame(instanceBroker, parameter);
    assertTrue(parameter.isRunning());

    Records.produce(parameter.bootstrapServers(), "extension", List.of("shared"));

    assertEquals(
        List.of("shared"),
        Records.consume(parameter.bootstrapServers(), "extension", 1, Duration.ofSeconds(20)));
  }
}
