package dev.kpool.supervisor.kafka;

import dev.kpool.supervisor.config.SupervisorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Where the supervisor's Kafka is: the configured cluster. The supervisor never starts a broker of
 * its own, so that its image ships none; {@code ./kpool supervisor} starts one beside it for
 * development.
 */
@ApplicationScoped
public class KafkaConnection {
  private static final Logger LOG = Logger.getLogger(KafkaConnection.class);

  /** The one line an operator sees when the supervisor is started without a Kafka to use. */
  static final String NO_BOOTSTRAP_SERVERS =
      "no Kafka configured: set KPOOL_BOOTSTRAP_SERVERS (kpool.bootstrap-servers) to the cluster's"
          + " bootstrap servers; the supervisor starts no broker of its own (for development,"
          + " ./kpool supervisor starts one beside it)";

  private final SupervisorConfig config;
  private Map<String, Object> clientProperties;

  KafkaConnection(SupervisorConfig config) {
    this.config = config;
  }

  /**
   * Properties every Kafka client of the supervisor starts from: bootstrap servers plus the raw
   * {@code kpool.kafka.*} passthrough.
   *
   * @throws IllegalStateException if no bootstrap servers are configured
   */
  public synchronized Map<String, Object> clientProperties() {
    if (clientProperties == null) {
      Map<String, Object> props = new HashMap<>(config.kafka());
      props.put(
          "bootstrap.servers",
          config
              .bootstrapServers()
              .orElseThrow(() -> new IllegalStateException(NO_BOOTSTRAP_SERVERS)));
      clientProperties = Map.copyOf(props);
    }
    return clientProperties;
  }

  // Before the pools start (they observe with the default priority), so that a supervisor without
  // Kafka stops before it spawns a worker.
  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (config.bootstrapServers().isEmpty()) {
      LOG.error(NO_BOOTSTRAP_SERVERS);
      throw new IllegalStateException(NO_BOOTSTRAP_SERVERS);
    }
  }
}
