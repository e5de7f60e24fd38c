package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.client.DetachedTask;
import dev.kpool.protocol.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The durable client's journal floor, checkpoints and re-attaching, record by record. */
class JournalTest {
  private final List<List<String>> checkpoints = new ArrayList<>();
  private final Journal journal = new Journal(checkpoints::add);

  private static byte[] marker(String id, DetachedTask.Kind kind, int chunks) {
    return FakeKafka.json(new JournalEntry(id, "square", kind, chunks * 2, 2, chunks, 1_000));
  }

  private void submittedRecord(long offset, String id) {
    journal.onJournalRecord(offset, Journal.SUBMITTED, id, marker(id, DetachedTask.Kind.APPLY, 1));
  }

  private static Reply ok(String id, int value) {
    return Reply.ok(id, List.of(IntNode.valueOf(value)), 1, 1, 1);
  }

  @Test
  void theFloorStaysAtTheOldestUnsettledCallAndLaterSettledCallsAreCheckpointed() {
    journal.endCatchUp();
    journal.submitted("a");
    journal.submitted("b");
    submittedRecord(0, "a");
    submittedRecord(1, "b");
    journal.replyForLiveCall(2, "b");
    journal.settled("b");
    journal.afterBatch();

    assertEquals(0, journal.floor(3), "a is unsettled");
    assertEquals(List.of(List.of("b")), checkpoints, "b lies above the floor");

    journal.settled("a");
    journal.afterBatch();
    assertEquals(3, journal.floor(3));
    assertEquals(1, checkpoints.size(), "a needs no checkpoint: the floor passes it");
  }

  @Test
  void aRestartFindsUnsettledCallsWithTheRepliesThatCameWhileNoClientRan() {
    journal.onJournalRecord(0, Journal.SUBMITTED, "a", marker("a", DetachedTask.Kind.APPLY, 1));
    journal.onJournalRecord(1, Journal.SUBMITTED, "m", marker("m", DetachedTask.Kind.MAP, 2));
    assertTrue(journal.offer(ok("a", 4)));
    assertTrue(journal.offer(ok("m:1", 9)));
    journal.endCatchUp();

    List<DetachedTask> detached = journal.detached();
    assertEquals(List.of("a", "m"), detached.stream().map(DetachedTask::id).toList());
    assertTrue(detached.get(0).ready());
    assertFalse(detached.get(1).ready(), "chunk 0 of m is still running");
    assertEquals(0, journal.floor(4));

    List<String> delivered = new ArrayList<>();
    journal.unit("m").attach(sinkInto(delivered));
    assertEquals(List.of("m:1"), delivered, "the held reply at once");
    assertTrue(journal.offer(ok("m:0", 1)));
    assertTrue(journal.offer(ok("m:0", 1)), "a duplicate is taken, and dropped");
    assertEquals(List.of("m:1", "m:0"), delivered);
    assertThrows(IllegalStateException.class, () -> journal.unit("m").attach(sinkInto(delivered)));
  }

  private static ChunkSink sinkInto(List<String> delivered) {
    return new ChunkSink() {
      @Override
      public void chunk(int index, Reply reply) {
        delivered.add(reply.id());
      }

      @Override
      public void lost(int index, RuntimeException why) {
        delivered.add("lost " + index);
      }
    };
  }

  @Test
  void callsNamedInASettledRecordAreNotOfferedAgain() {
    submittedRecord(0, "a");
    submittedRecord(1, "b");
    journal.onJournalRecord(2, Journal.SETTLED, "settled", FakeKafka.json(List.of("b")));
    journal.endCatchUp();

    assertEquals(List.of("a"), journal.detached().stream().map(DetachedTask::id).toList());
    assertThrows(IllegalArgumentException.class, () -> journal.unit("b"));
  }

  @Test
  void aReplyReadBeforeItsSubmittedRecordKeepsTheFloorBelowItUntilTheRecordIsRead() {
    journal.endCatchUp();
    journal.submitted("c");
    journal.replyForLiveCall(5, "c");
    journal.settled("c");
    journal.afterBatch();
    assertEquals(5, journal.floor(6));

    submittedRecord(7, "c");
    journal.afterBatch();
    assertEquals(8, journal.floor(8));
  }

  @Test
  void discardedAndSettledDetachedCallsLeaveTheList() {
    submittedRecord(0, "a");
    journal.endCatchUp();
    journal.settled("a");
    journal.afterBatch();

    assertTrue(journal.detached().isEmpty());
    assertEquals(9, journal.floor(9));
    assertFalse(journal.offer(ok("a", 1)), "a later reply is nobody's");
  }

  @Test
  void aTaskIdNamesItsCallAndChunk() {
    assertEquals("m", Journal.callId("m:12"));
    assertEquals(12, Journal.chunkIndex("m:12"));
    assertEquals("a", Journal.callId("a"));
    assertEquals(0, Journal.chunkIndex("a"));
  }
}
