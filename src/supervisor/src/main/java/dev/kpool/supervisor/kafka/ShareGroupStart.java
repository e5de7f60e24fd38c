package dev.kpool.supervisor.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.jboss.logging.Logger;

/**
 * Gives a share group that has never consumed a pool's task topic its start offsets before the
 * first lane joins, so the first tasks are delivered at once.
 *
 * <p>Why: a share group assigns a partition to a member only once the share coordinator holds
 * state for it. A brand-new group gets that state on the member's first heartbeat and hands the
 * partition out on the next one, a whole heartbeat interval later ({@code
 * group.share.heartbeat.interval.ms}, 5 s on a stock broker, and not lowerable per group below the
 * broker's minimum, also 5 s). Writing the start offsets with the Admin API creates that state
 * up front, and the first heartbeat already brings the assignment.
 *
 * <p>The offsets written are the partitions' earliest, which is what {@code
 * share.auto.offset.reset=earliest} would have chosen; partitions that already have state are never
 * touched. A group that already has members is left alone: the broker refuses the write
 * ({@link GroupNotEmptyException}) and its state is initialized by then anyway.
 */
final class ShareGroupStart {
  private static final Logger LOG = Logger.getLogger(ShareGroupStart.class);

  private ShareGroupStart() {}

  /**
   * Writes the earliest offset as the start of every partition of {@code topic} that {@code group}
   * holds no state for. Blocks for a few Admin round trips.
   *
   * @throws ExecutionException if Kafka refuses a request for a reason other than a non-empty group
   */
  static void initialize(Admin admin, String group, String topic, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long millis = timeout.toMillis();
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(millis, TimeUnit.MILLISECONDS)
            .get(topic)
            .partitions()
            .size();
    List<TopicPartition> all = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(topic, p));
    }
    Map<TopicPartition, SharePartitionOffsetInfo> state =
        admin
            .listShareGroupOffsets(
                Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(all)))
            .partitionsToOffsetInfo(group)
            .get(millis, TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
    for (TopicPartition partition : all) {
      if (state.get(partition) == null) {
        missing.put(partition, OffsetSpec.earliest());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Map<TopicPartition, ListOffsetsResultInfo> earliest =
        admin.listOffsets(missing).all().get(millis, TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> starts = new HashMap<>();
    earliest.forEach((partition, info) -> starts.put(partition, info.offset()));
    try {
      admin.alterShareGroupOffsets(group, starts).all().get(millis, TimeUnit.MILLISECONDS);
      LOG.debugf(
          "share group %s: start offsets of %d new partitions written", group, starts.size());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupNotEmptyException)) {
        throw e;
      }
      LOG.debugf("share group %s already has members; its start offsets are theirs", group);
    }
  }
}
