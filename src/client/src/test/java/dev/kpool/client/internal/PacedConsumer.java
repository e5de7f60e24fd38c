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
  private boolean woken;

  PacedConsumer() {
    super("earliest");
  }

  @Override
  public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
    ConsumerRecords<String, byte[]> records = super.poll(timeout);
    if (records.isEmpty() && !woken) {
      try {
        wait(Math.max(1, Math.min(timeout.toMillis(), 100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return records;
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
