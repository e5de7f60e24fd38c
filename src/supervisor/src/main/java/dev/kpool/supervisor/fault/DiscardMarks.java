package dev.kpool.supervisor.fault;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.supervisor.kafka.TaskRecords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which records of a dead-letter topic are discarded. A dead letter cannot be deleted from Kafka,
 * so a discard appends a marker record (header {@link HeaderNames#DISCARD_OF}, no value) after it
 * in the same one-partition topic. A marker always follows the dead letter it names, so a reader
 * that has read every record after a dead letter knows whether it is discarded; and a marker
 * expires with the topic's retention after its dead letter, never before, so a discarded dead
 * letter never comes back. Holds only the discarded offsets, not the records. Not thread-safe: one
 * per read.
 */
public final class DiscardMarks {
  private final Set<Long> discarded = new HashSet<>();

  /** Whether {@code record} is a discard marker rather than a dead letter. */
  static boolean isMarker(ConsumerRecord<String, byte[]> record) {
    return record.headers().lastHeader(HeaderNames.DISCARD_OF) != null;
  }

  /**
   * Takes in the markers of {@code records}, which must be the whole of a range read after every
   * range seen so far (readers go from the end of the topic backwards), and returns its dead
   * letters that no marker seen discards, in offset order.
   */
  List<ConsumerRecord<String, byte[]>> live(List<ConsumerRecord<String, byte[]>> records) {
    records.forEach(this::note);
    List<ConsumerRecord<String, byte[]>> live = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (!isMarker(record) && !discarded.contains(record.offset())) {
        live.add(record);
      }
    }
    return live;
  }

  /** Takes in {@code record}'s discard if it is a marker; any other record is ignored. */
  void note(ConsumerRecord<String, byte[]> record) {
    if (isMarker(record)) {
      String of = TaskRecords.header(record.headers(), HeaderNames.DISCARD_OF);
      try {
        discarded.add(Long.parseLong(of.trim()));
      } catch (NumberFormatException e) {
        // Not written by kpool; it discards nothing.
      }
    }
  }

  /** Whether a marker seen so far discards the dead letter at {@code offset}. */
  boolean discarded(long offset) {
    return discarded.contains(offset);
  }
}
