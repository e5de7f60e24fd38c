package dev.kpool.supervisor.lane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * A share consumer in explicit mode that acts as Kafka 4.2's does around RENEW: a renewed record
 * leaves the flight and the next poll returns it again; a poll while a returned record is not
 * acknowledged fails. Polls fail with a {@link KafkaException} while {@link #failPolls} is above
 * zero. Acknowledgements are kept by offset for the test to read. Its {@code rebalance-total}
 * metric reads {@link #rebalances}, the assignments it has reconciled.
 */
final class RenewingShareConsumer extends MockShareConsumer<String, byte[]> {
  final Map<Long, AcknowledgeType> verdicts = new ConcurrentHashMap<>();
  final AtomicInteger renewals = new AtomicInteger();
  final AtomicInteger failPolls = new AtomicInteger();
  final AtomicInteger rebalances = new AtomicInteger();
  final AtomicInteger polls = new AtomicInteger();
  volatile boolean closed;
  private final int lockMillis;
  private final List<ConsumerRecord<String, byte[]>> pending = new ArrayList<>();
  private final Map<Long, ConsumerRecord<String, byte[]>> inFlight = new HashMap<>();
  private final Map<Long, ConsumerRecord<String, byte[]>> renewed = new HashMap<>();
  private final Map<Long, AcknowledgeType> acknowledged = new HashMap<>();

  RenewingShareConsumer(int lockMillis) {
    this.lockMillis = lockMillis;
  }

  synchronized void offer(ConsumerRecord<String, byte[]> record) {
    pending.add(record);
  }

  @Override
  public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
    polls.incrementAndGet();
    if (failPolls.getAndDecrement() > 0) {
      throw new KafkaException("broker connection lost (injected)");
    }
    if (!acknowledged.keySet().containsAll(inFlight.keySet())) {
      throw new IllegalStateException(
          "All records must be acknowledged in explicit acknowledgement mode.");
    }
    acknowledged.forEach(
        (offset, type) -> {
          if (type == AcknowledgeType.RENEW) {
            renewals.incrementAndGet();
            renewed.put(offset, inFlight.get(offset));
          } else {
            verdicts.put(offset, type);
          }
        });
    acknowledged.clear();
    inFlight.clear();
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>(renewed.values());
    if (out.isEmpty()) {
      out.addAll(pending);
      pending.clear();
    }
    renewed.clear();
    if (out.isEmpty()) {
      pace();
    }
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : out) {
      inFlight.put(record.offset(), record);
      byPartition
          .computeIfAbsent(
              new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
          .add(record);
    }
    return new ConsumerRecords<>(byPartition, Map.of());
  }

  /** An empty poll waits a little, as a real one does, so that the lane does not spin. */
  private void pace() {
    try {
      TimeUnit.MILLISECONDS.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void acknowledge(
      ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
    if (!inFlight.containsKey(record.offset())) {
      throw new IllegalStateException("The record cannot be acknowledged.");
    }
    acknowledged.put(record.offset(), type);
  }

  @Override
  public synchronized void commitAsync() {
    acknowledged.forEach(
        (offset, type) -> {
          if (type != AcknowledgeType.RENEW) {
            verdicts.put(offset, type);
            inFlight.remove(offset);
          }
        });
    acknowledged.values().removeIf(type -> type != AcknowledgeType.RENEW);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    MetricName name =
        new MetricName("rebalance-total", "consumer-share-coordinator-metrics", "", Map.of());
    return Map.of(
        name,
        new Metric() {
          @Override
          public MetricName metricName() {
            return name;
          }

          @Override
          public Object metricValue() {
            return rebalances.doubleValue();
          }
        });
  }

  @Override
  public Optional<Integer> acquisitionLockTimeoutMs() {
    return Optional.of(lockMillis);
  }

  @Override
  public synchronized void close(Duration timeout) {
    closed = true;
    super.close(timeout);
  }
}
