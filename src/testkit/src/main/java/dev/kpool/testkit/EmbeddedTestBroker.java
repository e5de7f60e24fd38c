package dev.kpool.testkit;

import dev.kpool.devbroker.EmbeddedKafkaBroker;

/** {@link KafkaTestBroker} over an {@link EmbeddedKafkaBroker}; supports stop and restart. */
final class EmbeddedTestBroker implements KafkaTestBroker {

  private final EmbeddedKafkaBroker broker;

  private EmbeddedTestBroker(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  static EmbeddedTestBroker start() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
    try {
      broker.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return new EmbeddedTestBroker(broker);
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public String kind() {
    return "embedded";
  }

  @Override
  public boolean supportsRestart() {
    return true;
  }

  @Override
  public boolean isRunning() {
    return broker.isRunning();
  }

  @Override
  public void stop() {
    broker.stop();
  }

  @Override
  public void restart() {
    broker.restart();
  }

  @Override
  public void close() {
    broker.close();
  }

  @Override
  public String toString() {
    return "embedded Kafka broker at " + bootstrapServers();
  }
}
