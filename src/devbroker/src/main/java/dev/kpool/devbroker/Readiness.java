package dev.kpool.devbroker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Waits until a broker serves clients, which happens after it has registered and been unfenced. */
final class Readiness {

  private Readiness() {}

  /**
   * Blocks until {@code describeCluster} lists a live broker.
   *
   * @param security client properties the broker needs to let the probe in (none for PLAINTEXT)
   *
   * @throws TimeoutException if none is listed within {@code timeout}
   */
  static void await(String bootstrapServers, Map<String, Object> security, Duration timeout)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + Math.max(timeout.toNanos(), 0);
    Map<String, Object> config = new HashMap<>(security);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    Exception last = null;
    try (Admin admin = Admin.create(config)) {
      long remaining;
      while ((remaining = deadline - System.nanoTime()) > 0) {
        long millis =
            Math.min(Math.max(TimeUnit.NANOSECONDS.toMillis(remaining), 1), Integer.MAX_VALUE);
        try {
          Collection<Node> nodes =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs((int) millis))
                  .nodes()
                  .get(millis, TimeUnit.MILLISECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
          // Registered but still fenced: ask again shortly rather than spin.
          Thread.sleep(50);
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        }
      }
    }
    TimeoutException timedOut =
        new TimeoutException("no live broker at " + bootstrapServers + " after " + timeout);
    if (last != null) {
      timedOut.initCause(last);
    }
    throw timedOut;
  }
}
