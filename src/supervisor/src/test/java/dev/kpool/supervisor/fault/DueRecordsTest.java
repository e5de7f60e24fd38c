package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DueRecordsTest {
  private static final TopicPartition P0 = new TopicPartition("kpool.p.retry", 0);

  private static ConsumerRecord<String, byte[]> retry(long offset, String notBefore) {
    var record =
        new ConsumerRecord<>(P0.topic(), P0.partition(), offset, "k" + offset, new byte[0]);
    if (notBefore != null) {
      record.headers().add(HeaderNames.NOT_BEFORE, notBefore.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  @Test
  void releasesOnlyTheDueHeadOfAPartitionInOffsetOrder() {
    DueRecords due = new DueRecords();
    due.add(retry(0, "1000"));
    due.add(retry(1, "500"));
    due.add(retry(2, "3000"));

    assertTrue(due.takeDue(900).isEmpty(), "offset 1 is due but waits behind its head");
    assertEquals(100, due.millisUntilNext(900));
    assertEquals(Set.of(P0), due.holding());

    var released = due.takeDue(1000).get(P0);
    assertEquals(List.of(0L, 1L), released.stream().map(ConsumerRecord::offset).toList());
    assertEquals(2000, due.millisUntilNext(1000));
  }

  @Test
  void aRecordWithoutAReadableNotBeforeIsDueAtOnce() {
    DueRecords due = new DueRecords();
    due.add(retry(0, null));
    due.add(retry(1, "soon"));
    assertEquals(2, due.takeDue(0).get(P0).size());
    assertEquals(Long.MAX_VALUE, due.millisUntilNext(0));
    assertTrue(due.holding().isEmpty());
  }

  @Test
  void droppedPartitionsAreForgotten() {
    DueRecords due = new DueRecords();
    due.add(retry(0, "5000"));
    due.drop(List.of(P0));
    assertTrue(due.holding().isEmpty());
  }
}
