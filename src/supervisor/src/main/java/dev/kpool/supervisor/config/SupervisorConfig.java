package dev.kpool.supervisor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** Everything the supervisor reads from configuration, under the {@code kpool} prefix. */
@ConfigMapping(prefix = "kpool")
public interface SupervisorConfig {

  /**
   * Kafka bootstrap servers, e.g. {@code kafka:9092}. Required: unset, the supervisor stops at start
   * with an error naming {@code KPOOL_BOOTSTRAP_SERVERS}.
   */
  Optional<String> bootstrapServers();

  /**
   * Raw Kafka client properties given to every client the supervisor creates, e.g. {@code
   * kpool.kafka."security.protocol"=SASL_SSL}.
   */
  Map<String, String> kafka();

  /**
   * Drain and exit when stdin closes: for a supervisor started by another program (the demo, the
   * tests), so that it never outlives it, as workers never outlive their supervisor.
   */
  @WithDefault("false")
  boolean exitWithParent();

  /** The pools this supervisor serves, by pool name. */
  Map<String, PoolConfig> pools();
}
