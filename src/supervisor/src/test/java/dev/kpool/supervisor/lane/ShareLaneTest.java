package dev.kpool.supervisor.lane;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.fault.TaskSettler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShareLaneTest {
  private static final String POOL = "p";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<RenewingShareConsumer> built = new CopyOnWriteArrayList<>();
  private ShareLane lane;

  @AfterEach
  void stopLane() throws InterruptedException {
    if (lane != null) {
      lane.stop();
      lane.await(WAIT);
    }
  }

  private static ConsumerRecord<String, byte[]> task(long offset) {
    return new ConsumerRecord<>(Topics.tasks(POOL), 0, offset, "t" + offset, new byte[] {1});
  }

  private ShareLane lane(List<RenewingShareConsumer> consumers, ShareLane.Settle settle) {
    List<RenewingShareConsumer> queue = new CopyOnWriteArrayList<>(consumers);
    return new ShareLane(
        POOL,
        "test-lane",
        () -> {
          RenewingShareConsumer next = queue.remove(0);
          built.add(next);
          return next;
        },
        settle,
        horizon -> true,
        Duration.ofSeconds(20),
        Duration.ofMillis(10));
  }

  @Test
  void aLaneIsJoinedOnlyOnceItsConsumerHasReconciledAnAssignment() {
    RenewingShareConsumer consumer = new RenewingShareConsumer(300);
    lane = lane(List.of(consumer), (record, deliveries) -> new CompletableFuture<>());
    lane.start();

    await().atMost(WAIT).until(() -> consumer.polls.get() >= 3);
    assertFalse(lane.joined().isDone(), "polls without an assignment do not make the lane joined");
    consumer.rebalances.incrementAndGet();
    await().atMost(WAIT).until(() -> lane.joined().isDone());
  }

  @Test
  void aLaneThatFetchesRecordsIsJoinedAndOneThatStopsReleasesItsWaiters()
      throws InterruptedException {
    RenewingShareConsumer fetching = new RenewingShareConsumer(300);
    fetching.offer(task(1));
    lane =
        lane(
            List.of(fetching),
            (record, deliveries) -> CompletableFuture.completedFuture(TaskSettler.Verdict.ACCEPT));
    lane.start();
    await().atMost(WAIT).until(() -> lane.joined().isDone());
    lane.stop();
    lane.await(WAIT);

    RenewingShareConsumer idle = new RenewingShareConsumer(300);
    lane = lane(List.of(idle), (record, deliveries) -> new CompletableFuture<>());
    lane.start();
    await().atMost(WAIT).until(() -> idle.polls.get() >= 1);
    lane.stop();
    lane.await(WAIT);
    assertTrue(
        lane.joined().isDone(), "a supervisor waiting for the lane to join is not left waiting");
  }

  @Test
  void aTaskLongerThanItsLockHasItsRecordRenewedUntilItIsAcceptedOnce() {
    RenewingShareConsumer consumer = new RenewingShareConsumer(300);
    consumer.offer(task(7));
    CompletableFuture<TaskSettler.Verdict> running = new CompletableFuture<>();
    lane = lane(List.of(consumer), (record, deliveries) -> running);
    lane.start();

    // Every third of the 300 ms lock the lane renews, so several renewals pass during the task.
    await().atMost(WAIT).until(() -> consumer.renewals.get() >= 4);
    assertEquals(Map.of(), consumer.verdicts, "nothing is settled while the task runs");
    running.complete(TaskSettler.Verdict.ACCEPT);

    await().atMost(WAIT).until(() -> consumer.verdicts.containsKey(7L));
    assertEquals(Map.of(7L, AcknowledgeType.ACCEPT), consumer.verdicts);
    assertEquals(1, built.size(), "no renewal failed the consumer");
  }

  @Test
  void aKafkaErrorInTheLaneLoopIsLoggedBackedOffAndTheLaneGoesOnWithANewConsumer() {
    RenewingShareConsumer failing = new RenewingShareConsumer(300);
    failing.failPolls.set(1);
    RenewingShareConsumer next = new RenewingShareConsumer(300);
    next.offer(task(3));
    List<Long> ran = new CopyOnWriteArrayList<>();
    lane =
        lane(
            List.of(failing, next),
            (record, deliveries) -> {
              ran.add(record.offset());
              return CompletableFuture.completedFuture(TaskSettler.Verdict.ACCEPT);
            });
    lane.start();

    await().atMost(WAIT).until(() -> next.verdicts.containsKey(3L));
    assertTrue(
        failing.closed, "the failed consumer is closed, so its records go back to the group");
    assertEquals(List.of(3L), ran);
    assertEquals(2, built.size());
  }
}
