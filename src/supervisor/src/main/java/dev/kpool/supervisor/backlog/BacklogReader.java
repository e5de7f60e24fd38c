package dev.kpool.supervisor.backlog;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.dispatch.WorkerState;
import dev.kpool.supervisor.kafka.KafkaConnection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a pool's {@link Backlog}: the share group's lag from Kafka's Admin API, the rest from this
 * supervisor's pool. One Admin client, made on first use, serves every call. Thread-safe; a call
 * blocks on Kafka for up to {@link #TIMEOUT}.
 */
@ApplicationScoped
public class BacklogReader {
  /** How long a read waits for Kafka. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KafkaConnection kafka;
  private Admin admin;

  BacklogReader(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  /**
   * The pool's backlog now.
   *
   * @throws IllegalStateException if Kafka does not answer within {@link #TIMEOUT} or refuses
   */
  public Backlog read(PoolRunner pool) {
    long unacknowledged = unacknowledged(pool.name());
    ProcessPool processes = pool.processes();
    int busy = processes.busyWorkers();
    double average = processes.stats().avgTaskMillis();
    return new Backlog(
        pool.name(),
        unacknowledged,
        processes.queued() + busy,
        busy,
        processes.workersByState().getOrDefault(WorkerState.IDLE, 0),
        average,
        Backlog.suggestedReplicas(unacknowledged, average, pool.config().maxProcesses()));
  }

  /** The share group's lag summed over the task topic's partitions; 0 before the group has any. */
  private long unacknowledged(String pool) {
    String group = Topics.shareGroup(pool);
    try {
      Map<TopicPartition, SharePartitionOffsetInfo> offsets =
          admin()
              .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
              .partitionsToOffsetInfo(group)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, SharePartitionOffsetInfo> entry : offsets.entrySet()) {
        if (entry.getKey().topic().equals(Topics.tasks(pool)) && entry.getValue() != null) {
          lag += entry.getValue().lag().orElse(0L);
        }
      }
      return lag;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka refused the offsets of share group " + group + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + TIMEOUT + " for share group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading share group " + group, e);
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(kafka.clientProperties());
    }
    return admin;
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
