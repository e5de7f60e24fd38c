package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Listing dead letters around discard markers, and failing rather than listing from a partial read. */
class DeadLetterDiscardsTest {
  private static final TopicPartition DLQ = new TopicPartition("kpool.p.dlq", 0);
  private static final Duration ENOUGH = Duration.ofSeconds(10);
  // A read that never gets its records gives up after this; short, so the test stays fast.
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aMarkerHidesTheDeadLetterItNamesAndIsNotListedItself() {
    List<ConsumerRecord<String, byte[]>> topic =
        List.of(deadLetter(0), deadLetter(1), marker(2, 0), deadLetter(3));
    DiscardMarks marks = new DiscardMarks();

    assertEquals(List.of(1L, 3L), offsets(marks.live(topic)));
    assertTrue(marks.discarded(0));
    assertFalse(marks.discarded(1));
  }

  @Test
  void theNewestAreFilledUpFromEarlierRecordsWhenMarkersAndDiscardsTakeTheirPlace() {
    // 0..5 dead letters, 6 discards 5, 7 discards 4, 8 is a dead letter: the newest three are 2, 3,
    // 8.
    List<ConsumerRecord<String, byte[]>> topic = deadLettersThenMarkers(6, 5, 4);
    topic.add(deadLetter(8));
    MockConsumer<String, byte[]> consumer = consumerOf(topic);

    var newest = DeadLetters.newest(consumer, DLQ, 0, topic.size(), 3, ENOUGH);

    assertEquals(List.of(2L, 3L, 8L), offsets(newest));
  }

  @Test
  void fewerThanAskedAreListedWhenTheTopicHoldsNoMore() {
    List<ConsumerRecord<String, byte[]>> topic =
        List.of(deadLetter(0), marker(1, 0), deadLetter(2));

    var newest = DeadLetters.newest(consumerOf(topic), DLQ, 0, topic.size(), 10, ENOUGH);

    assertEquals(List.of(2L), offsets(newest));
  }

  @Test
  void aPageFromAnOffsetSkipsDeadLettersDiscardedLaterInTheTopic() {
    // 0..5 dead letters, 6 discards 1, 7 discards 2: two from offset 1 on are 3 and 4.
    List<ConsumerRecord<String, byte[]>> topic = deadLettersThenMarkers(6, 1, 2);

    var page = DeadLetters.from(consumerOf(topic), DLQ, 1, topic.size(), 2, ENOUGH);

    assertEquals(List.of(3L, 4L), offsets(page));
  }

  @Test
  void aDeadLetterIsDiscardedOnlyByAMarkerNamingIt() {
    List<ConsumerRecord<String, byte[]>> topic =
        List.of(deadLetter(0), deadLetter(1), marker(2, 1));

    assertTrue(DeadLetters.discarded(consumerOf(topic), DLQ, 1, topic.size(), ENOUGH));
    assertFalse(DeadLetters.discarded(consumerOf(topic), DLQ, 0, topic.size(), ENOUGH));
  }

  @Test
  void theNewestFailRatherThanComeFromAReadThatTimedOut() {
    MockConsumer<String, byte[]> silent = silentConsumer(3);

    assertThrows(TimeoutException.class, () -> DeadLetters.newest(silent, DLQ, 0, 3, 10, SHORT));
  }

  @Test
  void aPageFromAnOffsetFailsRatherThanComeFromAReadThatTimedOut() {
    MockConsumer<String, byte[]> silent = silentConsumer(3);

    assertThrows(TimeoutException.class, () -> DeadLetters.from(silent, DLQ, 0, 3, 10, SHORT));
  }

  @Test
  void aDiscardCheckFailsRatherThanSayNotDiscardedWhenItsReadTimedOut() {
    MockConsumer<String, byte[]> silent = silentConsumer(3);

    assertThrows(TimeoutException.class, () -> DeadLetters.discarded(silent, DLQ, 0, 3, SHORT));
  }

  /** A consumer of a topic of {@code size} records whose reads never return one, as if Kafka stalled. */
  private static MockConsumer<String, byte[]> silentConsumer(long size) {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    consumer.assign(List.of(DLQ));
    consumer.updateBeginningOffsets(Map.of(DLQ, 0L));
    consumer.updateEndOffsets(Map.of(DLQ, size));
    return consumer;
  }

  /** A consumer that hands out {@code topic} from wherever it is sought to, as often as asked. */
  private static MockConsumer<String, byte[]> consumerOf(
      List<ConsumerRecord<String, byte[]>> topic) {
    MockConsumer<String, byte[]> consumer =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            schedulePollTask(
                () -> topic.stream().filter(r -> r.offset() >= offset).forEach(this::addRecord));
          }
        };
    consumer.assign(List.of(DLQ));
    consumer.updateBeginningOffsets(Map.of(DLQ, 0L));
    consumer.updateEndOffsets(Map.of(DLQ, (long) topic.size()));
    return consumer;
  }

  /** Dead letters at 0 until {@code count}, then one marker for each of {@code discards} in turn. */
  private static List<ConsumerRecord<String, byte[]>> deadLettersThenMarkers(
      long count, long... discards) {
    List<ConsumerRecord<String, byte[]>> topic = new ArrayList<>();
    for (long offset = 0; offset < count; offset++) {
      topic.add(deadLetter(offset));
    }
    for (long of : discards) {
      topic.add(marker(topic.size(), of));
    }
    return topic;
  }

  private static ConsumerRecord<String, byte[]> deadLetter(long offset) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.ID, ("t" + offset).getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        DLQ.topic(),
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "t" + offset,
        "1".getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }

  private static ConsumerRecord<String, byte[]> marker(long offset, long of) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.DISCARD_OF, Long.toString(of).getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        DLQ.topic(),
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "t" + of,
        null,
        headers,
        Optional.empty());
  }

  private static List<Long> offsets(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(ConsumerRecord::offset).toList();
  }
}
