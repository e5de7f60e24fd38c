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
   * Blocks until {@code describeCluster} lists a live broker, or until {@code timeout} after
   * {@code startedNanos} (a {@link System#nanoTime()} reading) has passed; the broker's own start,
   * log recovery included, counts against the same timeout.
   *
   * @param security client properties the broker needs to let the probe in (none for PLAINTEXT)
   * @throws TimeoutException naming the time the start took and the timeout
   */
  static void await(
      String bootstrapServers, Map<String, Object> security, long startedNanos, Duration timeout)
      throws TimeoutException, InterruptedException {
    long deadline = startedNanos + timeout.toNanos();
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
        new TimeoutException(
            timedOutMessage(
                bootstrapServers, Duration.ofNanos(System.nanoTime() - startedNanos), timeout));
    if (last != null) {
      timedOut.initCause(last);
    }
    throw timedOut;
  }

  /** Says how long the start took and what the timeout was; both are positive durations. */
  static String timedOutMessage(String bootstrapServers, Duration elapsed, Duration timeout) {
    return "no live broker at "
        + bootstrapServers
        + " after "
        + seconds(elapsed)
        + " (start timeout "
        + seconds(timeout)
        + "; a broker recovering a large log may need a"
        + " longer one)";
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
