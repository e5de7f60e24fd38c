package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Makes sure a pool's topics and share-group settings exist before any lane joins. */
public final class PoolTopics {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private PoolTopics() {}

  /**
   * Creates the task, retry and dead-letter topics if missing and sets the share group's configuration:
   * start from the earliest record (tasks sent before any supervisor started must run) and hold
   * each record for {@code recordLock} at a time (lanes renew it while a task runs).
   *
   * @throws IllegalStateException if Kafka refuses or does not answer; when the broker refuses the
   *     lock, the message names the broker setting that bounds it
   */
  public static void ensure(
      Map<String, Object> clientProperties, String pool, int partitions, Duration recordLock) {
    try (Admin admin = Admin.create(clientProperties)) {
      createIfMissing(
          admin,
          List.of(
              new NewTopic(Topics.tasks(pool), Optional.of(partitions), Optional.empty()),
              new NewTopic(Topics.deadLetters(pool), Optional.of(1), Optional.empty()),
              new NewTopic(Topics.retries(pool), Optional.of(partitions), Optional.empty()),
              new NewTopic(Topics.control(), Optional.of(1), Optional.empty())));
      ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.shareGroup(pool));
      Collection<AlterConfigOp> ops =
          List.of(
              new AlterConfigOp(
                  new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
              new AlterConfigOp(
                  new ConfigEntry(
                      "share.record.lock.duration.ms", Long.toString(recordLock.toMillis())),
                  AlterConfigOp.OpType.SET));
      try {
        admin
            .incrementalAlterConfigs(Map.of(group, ops))
            .all()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof InvalidConfigurationException refused) {
          throw new IllegalStateException(refusedLock(pool, recordLock, refused), refused);
        }
        throw e;
      }
      awaitEarliest(admin, group);
      ShareGroupStart.initialize(admin, Topics.shareGroup(pool), Topics.tasks(pool), ADMIN_TIMEOUT);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot set up topics of pool " + pool + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + ADMIN_TIMEOUT + " setting up pool " + pool, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted setting up pool " + pool, e);
    }
  }

  private static String refusedLock(
      String pool, Duration recordLock, InvalidConfigurationException refused) {
    return "cannot set up topics of pool "
        + pool
        + ": the broker refused share group setting "
        + "share.record.lock.duration.ms="
        + recordLock.toMillis()
        + " ("
        + refused.getMessage()
        + "). "
        + "Set kpool.pools."
        + pool
        + ".record-lock within the broker's "
        + "group.share.min.record.lock.duration.ms and group.share.max.record.lock.duration.ms "
        + "(15s to 60s on a stock broker), or change those broker settings";
  }

  /**
   * The alteration is acknowledged once the controller has it, and brokers apply it a little later.
   * A share-partition that initialized in between would start at the latest offset and never see
   * the tasks already sent; so wait until the setting reads back.
   */
  private static void awaitEarliest(Admin admin, ConfigResource group)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      var config =
          admin
              .describeConfigs(List.of(group))
              .all()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(group);
      ConfigEntry reset = config == null ? null : config.get("share.auto.offset.reset");
      if (reset != null && "earliest".equals(reset.value())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "share.auto.offset.reset of " + group.name() + " still reads " + reset);
      }
      TimeUnit.MILLISECONDS.sleep(50); // a short back-off between reads of a setting in flight
    }
  }

  private static void createIfMissing(Admin admin, List<NewTopic> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (var entry : admin.createTopics(topics).values().entrySet()) {
      try {
        entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }
}
