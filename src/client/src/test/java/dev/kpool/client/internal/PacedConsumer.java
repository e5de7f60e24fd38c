package dev.kpool.client.internal;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;

/**
 * Kafka's {@link MockConsumer}, except that an empty {@link #poll} blocks until a record is added
 * or the timeout passes, as a real consumer does, instead of spinning the listener thread.
 */
final class PacedConsumer extends MockConsumer<String, byte[]> {
  /** Every offset committed, sync or async, in order. */
  final java.util.List<Long> commits = new java.util.concurrent.CopyOnWriteArrayList<>();

  private boolean woken;
  private boolean thrown;

  PacedConsumer() {
    super("earliest");
  }

  @Override
  public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
    ConsumerRecords<String, byte[]> records;
    try {
      records = super.poll(timeout);
    } catch (org.apache.kafka.common.KafkaException e) {
      thrown = true;
      throw e;
    }
    if (records.isEmpty() && !woken) {
      try {
        wait(Math.max(1, Math.min(timeout.toMillis(), 100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return records;
  }

  /** Whether the exception set by {@link #setPollException} was thrown by a poll. */
  synchronized boolean pollExceptionThrown() {
    return thrown;
  }

  @Override
  public synchronized void setPollException(org.apache.kafka.common.KafkaException exception) {
    thrown = false;
    super.setPollException(exception);
  }

  @Override
  public synchronized void commitSync(
      java.util.Map<
              org.apache.kafka.common.TopicPartition,
              org.apache.kafka.clients.consumer.OffsetAndMetadata>
          offsets,
      Duration timeout) {
    offsets.values().forEach(o -> commits.add(o.offset()));
    super.commitSync(offsets, timeout);
  }

  @Override
  public synchronized void commitAsync(
      java.util.Map<
              org.apache.kafka.common.TopicPartition,
              org.apache.kafka.clients.consumer.OffsetAndMetadata>
          offsets,
      org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
    offsets.values().forEach(o -> commits.add(o.offset()));
    super.commitAsync(offsets, callback);
  }

  @Override
  public synchronized void addRecord(ConsumerRecord<String, byte[]> record) {
    super.addRecord(record);
    notifyAll();
  }

  @Override
  public synchronized void wakeup() {
    woken = true;
    super.wakeup();
    notifyAll();
  }
}
