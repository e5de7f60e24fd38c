package dev.kpool.supervisor.fault;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.supervisor.kafka.TaskRecords;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Retry records fetched but not yet due, per partition in offset order. Only a partition's head
 * is ever released, so its committed offset never passes a record that has not been relayed; a
 * later record due sooner (a shorter per-task backoff) waits behind the head, at most the longest
 * backoff. Not thread-safe: the relay's thread owns it.
 */
final class DueRecords {
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> waiting =
      new HashMap<>();

  void add(ConsumerRecord<String, byte[]> record) {
    waiting
        .computeIfAbsent(
            new TopicPartition(record.topic(), record.partition()), tp -> new ArrayDeque<>())
        .add(record);
  }

  /** Removes and returns, per partition, the leading records due at {@code nowMillis}. */
  Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> takeDue(long nowMillis) {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> due = new HashMap<>();
    waiting.forEach(
        (tp, records) -> {
          while (!records.isEmpty() && notBefore(records.peek()) <= nowMillis) {
            due.computeIfAbsent(tp, p -> new ArrayList<>()).add(records.poll());
          }
        });
    waiting.values().removeIf(ArrayDeque::isEmpty);
    return due;
  }

  /** Milliseconds until the next head is due, {@code Long.MAX_VALUE} if nothing waits. */
  long millisUntilNext(long nowMillis) {
    return waiting.values().stream()
        .mapToLong(records -> Math.max(0, notBefore(records.peek()) - nowMillis))
        .min()
        .orElse(Long.MAX_VALUE);
  }

  /** Partitions holding records that are not yet due: the relay stops fetching them. */
  Set<TopicPartition> holding() {
    return Set.copyOf(waiting.keySet());
  }

  /** Forgets the records of {@code partitions}: they are refetched from the committed offset. */
  void drop(Collection<TopicPartition> partitions) {
    partitions.forEach(waiting::remove);
  }

  /** The record's not-before time; a missing or unreadable header means due now. */
  static long notBefore(ConsumerRecord<String, byte[]> record) {
    String value = TaskRecords.header(record.headers(), HeaderNames.NOT_BEFORE);
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
