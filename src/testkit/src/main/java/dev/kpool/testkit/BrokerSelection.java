package dev.kpool.testkit;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The values of {@value KafkaTestBroker#SELECTION_PROPERTY} and how each one starts a broker. */
enum BrokerSelection {
  EMBEDDED,
  TESTCONTAINERS,
  AUTO;

  private static final Logger LOG = LoggerFactory.getLogger(BrokerSelection.class);
  private static final String DOCKER_PROBE = "org.testcontainers.DockerClientFactory";

  static BrokerSelection parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          KafkaTestBroker.SELECTION_PROPERTY
              + " must be embedded, testcontainers or auto, got '"
              + value
              + "'",
          e);
    }
  }

  KafkaTestBroker start() {
    return switch (this) {
      case EMBEDDED -> EmbeddedTestBroker.start();
      case TESTCONTAINERS -> startContainer();
      case AUTO -> startContainerOrEmbedded();
    };
  }

  private static KafkaTestBroker startContainer() {
    if (!testcontainersOnClassPath()) {
      throw new IllegalStateException(
          KafkaTestBroker.SELECTION_PROPERTY
              + "=testcontainers needs org.testcontainers:testcontainers-kafka on the test"
              + " class path");
    }
    if (!ContainerTestBroker.dockerAvailable()) {
      throw new IllegalStateException(
          KafkaTestBroker.SELECTION_PROPERTY
              + "=testcontainers but no Docker engine answers; use embedded or auto");
    }
    return ContainerTestBroker.start();
  }

  private static KafkaTestBroker startContainerOrEmbedded() {
    // The container class is only loaded once its library is known to be present, so a class
    // path without Testcontainers never fails on it.
    if (!testcontainersOnClassPath()) {
      LOG.info("Testcontainers not on the class path: using the embedded Kafka broker");
    } else if (ContainerTestBroker.dockerAvailable()) {
      return ContainerTestBroker.start();
    } else {
      LOG.info(
          "No Docker engine answers (an error from Testcontainers above is expected):"
              + " using the embedded Kafka broker");
    }
    return EmbeddedTestBroker.start();
  }

  private static boolean testcontainersOnClassPath() {
    try {
      Class.forName(DOCKER_PROBE, false, BrokerSelection.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
