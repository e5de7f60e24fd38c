package dev.kpool.supervisor.health;

import dev.kpool.supervisor.kafka.KafkaConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code kafka}: up when the cluster answers a describe-cluster call within two
 * seconds. A supervisor that cannot reach Kafka can neither take tasks nor write their replies. Runs
 * on the health endpoint's worker thread and blocks for two seconds at most.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
  private static final long TIMEOUT_MILLIS = 2_000;

  private final KafkaConnection kafka;
  private Admin admin;

  KafkaReadiness(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka");
    try {
      Collection<Node> nodes =
          admin()
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MILLIS))
              .nodes()
              .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      return response.up().withData("brokers", nodes.size()).build();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      return response.down().withData("error", String.valueOf(cause)).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.down().withData("error", "interrupted").build();
    }
  }

  // One admin client for the life of the process: a probe every few seconds must not open a new
  // connection each time.
  private synchronized Admin admin() {
    if (admin == null) {
      var props = new java.util.HashMap<>(kafka.clientProperties());
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kpool-health");
      admin = Admin.create(props);
    }
    return admin;
  }

  synchronized void onStop(@Observes ShutdownEvent event) {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(2));
    }
  }
}
