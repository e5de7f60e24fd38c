package dev.kpool.testkit;

import dev.kpool.devbroker.BrokerDefaults;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link KafkaTestBroker} over a Testcontainers {@code apache/kafka} container. Loaded only when
 * selected, so Testcontainers stays optional. Stop and restart are not supported: a restarted
 * container gets a new mapped port, which would break the stable-address contract.
 */
final class ContainerTestBroker implements KafkaTestBroker {

  /** Same Kafka release as the embedded broker and the clients. */
  static final String IMAGE = "apache/kafka:4.2.1";

  private final KafkaContainer container;

  private ContainerTestBroker(KafkaContainer container) {
    this.container = container;
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @SuppressWarnings("resource") // closed by close()
  static ContainerTestBroker start() {
    KafkaContainer container = new KafkaContainer(IMAGE);
    BrokerDefaults.settings().forEach((key, value) -> container.withEnv(envName(key), value));
    container.start();
    return new ContainerTestBroker(container);
  }

  /** The apache/kafka image maps KAFKA_A_B to a.b, "__" to "_" and "___" to "-". */
  static String envName(String key) {
    return "KAFKA_"
        + key.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String kind() {
    return "testcontainers";
  }

  @Override
  public boolean supportsRestart() {
    return false;
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("the Testcontainers broker cannot stop and restart");
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException("the Testcontainers broker cannot stop and restart");
  }

  @Override
  public void close() {
    container.stop();
  }

  @Override
  public String toString() {
    return "Testcontainers Kafka broker (" + IMAGE + ") at " + bootstrapServers();
  }
}
