package dev.kpool.supervisor.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code kpool.events}: every supervisor's pool snapshots, one partition, compacted. Compaction
 * keeps the last snapshot of each supervisor run for good (the totals) and drops the older ones
 * once their hourly segment closes; the recent ones (the throughput) are still in the open segment.
 */
final class EventsTopic {
  static final String NAME = "kpool.events";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private EventsTopic() {}

  /**
   * Creates the topic if it is missing.
   *
   * @throws IllegalStateException if Kafka refuses or does not answer within 30 s
   */
  static void ensure(Map<String, Object> clientProperties) {
    NewTopic topic =
        new NewTopic(NAME, Optional.of(1), Optional.empty())
            .configs(
                Map.of(
                    "cleanup.policy",
                    "compact",
                    "segment.ms",
                    Long.toString(Duration.ofHours(1).toMillis())));
    try (Admin admin = Admin.create(clientProperties)) {
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create " + NAME + ": " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + TIMEOUT + " creating " + NAME, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating " + NAME, e);
    }
  }
}
