package dev.kpool.supervisor.kafka;

import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.supervisor.config.SupervisorConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Where the supervisor's Kafka is: the configured cluster, or, with no bootstrap servers
 * configured, a single-node broker started in this process for the demo and development.
 */
@ApplicationScoped
public class KafkaConnection {
  private static final Logger LOG = Logger.getLogger(KafkaConnection.class);

  private final SupervisorConfig config;
  private EmbeddedKafkaBroker embedded;
  private Map<String, Object> clientProperties;

  KafkaConnection(SupervisorConfig config) {
    this.config = config;
  }

  /**
   * Properties every Kafka client of the supervisor starts from: bootstrap servers plus the raw
   * {@code kpool.kafka.*} passthrough. Starts the embedded broker on first use if none is configured.
   */
  public synchronized Map<String, Object> clientProperties() {
    if (clientProperties == null) {
      Map<String, Object> props = new HashMap<>(config.kafka());
      props.put("bootstrap.servers", config.bootstrapServers().orElseGet(this::startEmbedded));
      clientProperties = Map.copyOf(props);
    }
    return clientProperties;
  }

  private String startEmbedded() {
    LOG.info("no kpool.bootstrap-servers configured: starting an embedded Kafka broker (development only)");
    embedded = EmbeddedKafkaBroker.builder().port(config.embeddedBrokerPort()).build().start();
    LOG.infof("embedded Kafka broker ready at %s", embedded.bootstrapServers());
    return embedded.bootstrapServers();
  }

  // Runs after the pools have drained (they observe with a lower priority number).
  void onStop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER + 100) ShutdownEvent event) {
    if (embedded != null) {
      embedded.close();
      LOG.info("embedded Kafka broker stopped");
    }
  }
}
