package dev.kpool.testkit;

import dev.kpool.devbroker.BrokerStartException;
import dev.kpool.devbroker.EmbeddedKafkaBroker;

/**
 * A Kafka broker for integration tests: the in-process {@link EmbeddedKafkaBroker}, or a
 * Testcontainers {@code apache/kafka} container when a Docker engine answers.
 *
 * <p>Which one is chosen by {@value #SELECTION_PROPERTY} ({@code embedded}, {@code testcontainers}
 * or {@code auto}, the default); see {@link #start(String)}. Implementations are thread-safe and
 * their lifecycle methods block until the transition is complete.
 */
public interface KafkaTestBroker extends AutoCloseable {

  /** System property (or JUnit configuration parameter) selecting the broker. */
  String SELECTION_PROPERTY = "kpool.test.broker";

  /**
   * Starts a broker as {@code selection} asks.
   *
   * @param selection {@code embedded}, {@code testcontainers}, or {@code auto} (also when null or
   *     blank): Testcontainers when its classes are on the class path and Docker answers, else
   *     embedded
   * @throws IllegalArgumentException if {@code selection} is none of these
   * @throws IllegalStateException if {@code testcontainers} is asked and unavailable
   * @throws BrokerStartException if the broker does not come up
   */
  static KafkaTestBroker start(String selection) {
    return BrokerSelection.parse(selection).start();
  }

  /**
   * Returns the address clients bootstrap from; stable across {@link #stop()}/{@link #restart()}.
   */
  String bootstrapServers();

  /** Returns {@code embedded} or {@code testcontainers}. */
  String kind();

  /** Returns whether {@link #stop()} and {@link #restart()} are supported. */
  boolean supportsRestart();

  /** Returns whether the broker currently serves clients. */
  boolean isRunning();

  /**
   * Stops the broker, keeping its address and data, to simulate an outage.
   *
   * @throws UnsupportedOperationException if {@link #supportsRestart()} is false
   */
  void stop();

  /**
   * Starts the broker again (stopping it first if running) on the same address with the same data.
   *
   * @throws UnsupportedOperationException if {@link #supportsRestart()} is false
   * @throws BrokerStartException if the broker does not come up
   */
  void restart();

  /** Stops the broker for good and releases its resources. */
  @Override
  void close();
}
