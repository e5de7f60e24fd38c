package dev.kpool.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

class BrokerSelectionTest {

  @Test
  void defaultsToAutoWhenUnsetOrBlank() {
    assertEquals(BrokerSelection.AUTO, BrokerSelection.parse(null));
    assertEquals(BrokerSelection.AUTO, BrokerSelection.parse(" "));
  }

  @Test
  void acceptsEachModeIgnoringCaseAndSpaces() {
    assertEquals(BrokerSelection.EMBEDDED, BrokerSelection.parse("embedded"));
    assertEquals(BrokerSelection.TESTCONTAINERS, BrokerSelection.parse(" Testcontainers "));
    assertEquals(BrokerSelection.AUTO, BrokerSelection.parse("AUTO"));
  }

  @Test
  void rejectsAnUnknownModeNamingTheProperty() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BrokerSelection.parse("docker"));
    assertTrue(e.getMessage().contains("kpool.test.broker"), e.getMessage());
  }

  @Test
  void failsClearlyWhenTestcontainersIsRequiredButNoDockerAnswers() {
    assumeFalse(ContainerTestBroker.dockerAvailable(), "a Docker engine answers here");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> KafkaTestBroker.start("testcontainers"));
    assertTrue(e.getMessage().contains("no Docker engine answers"), e.getMessage());
  }

  @Test
  void mapsBrokerKeysToApacheKafkaImageEnvironment() {
    assertEquals(
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR",
        ContainerTestBroker.envName("share.coordinator.state.topic.min.isr"));
    assertEquals("KAFKA_A__B___C_D", ContainerTestBroker.envName("a_b-c.d"));
  }
}
